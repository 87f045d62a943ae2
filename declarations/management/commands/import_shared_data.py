"""``manage.py import_shared_data FILE``: load the reference dataset of shared data (R5.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from declarations.shareddata.dataset import RowError, read_rows, shared_data_import, validate_rows


class Command(BaseCommand):
    help = (
        "Import shared data (R5.4) from a CSV or JSON file: validate every row, then upsert "
        "by (kind, ID number). Rerunning with the same file changes nothing. "
        "See docs/shared-data.md for the format."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            default="",
            help="Name of the data's origin shown to reviewers (default: the file's "
            "'source', else its name).",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the others, instead of importing nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            raw_rows, file_source = read_rows(path)
        except (RowError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        # CSV data starts on line 2 (after the header); JSON rows are counted from 1.
        first = 2 if path.suffix.lower() == ".csv" else 1
        rows, errors = validate_rows(raw_rows, first_line=first)
        label = "line" if first == 2 else "row"
        for line, reason in errors:
            self.stderr.write(f"{path.name} {label} {line}: {reason}")
        if errors and not options["skip_invalid"]:
            raise CommandError(
                f"{len(errors)} invalid row(s); nothing imported (use --skip-invalid to import "
                "the valid rows)."
            )
        source = options["source"] or file_source or path.name
        with transaction.atomic():
            result = shared_data_import(rows=rows, source=source)
        self.stdout.write(
            f"Shared data from {path.name} ({source}): {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged, {len(errors)} rejected."
        )
