"""Create the development CA and a seal key for every committee and sealing organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certificates.devca import CA_CERT_FILE, DevCARefused, ensure_dev_identities
from certificates.seals import keys_dir


class Command(BaseCommand):
    help = (
        "Create a development CA in SEAL_KEYS_DIR and a PKCS#12 seal key for every committee, "
        "approval body and committee host (idempotent; NOT for production, see docs/seals.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Make a new CA and reissue every seal key (earlier sealed PDFs stop validating).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = getattr(settings, "SEAL_P12_PASSWORD", None)
        if not password:
            raise CommandError("SEAL_P12_PASSWORD is not set.")
        directory = keys_dir()
        try:
            report = ensure_dev_identities(keys_dir=directory, password=password, force=options["force"])
        except DevCARefused as exc:
            raise CommandError(f"{exc}. Real seal keys are configured here: see docs/seals.md.") from exc
        if report.ca_created:
            self.stdout.write(f"Created development CA {directory / CA_CERT_FILE}")
        for name in report.issued:
            self.stdout.write(f"Issued {directory / name}")
        for name in report.left_alone:
            self.stdout.write(
                self.style.WARNING(
                    f"Left alone {directory / name}: not issued by the development CA "
                    "or does not open with SEAL_P12_PASSWORD"
                )
            )
        dev_root = str(directory / CA_CERT_FILE)
        if dev_root not in [str(r) for r in settings.SEAL_TRUST_ROOTS]:
            self.stdout.write(
                self.style.WARNING(
                    f"SEAL_TRUST_ROOTS does not list {dev_root}: sealed PDFs will not check as valid."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seal keys in {directory}: {len(report.issued)} issued, {len(report.kept)} kept."
            )
        )
