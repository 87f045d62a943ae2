"""Run the periodic sweep once, or forever every ``--loop`` seconds (``make run`` uses this)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from review.sweep import sweep_due


class Command(BaseCommand):
    help = "Act on everything that has fallen due (abandon overdue returns, ...); see review/sweep.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            default=None,
            help="Run forever, sweeping every SECONDS seconds (without a Celery beat).",
        )

    def handle(self, *args: Any, loop: int | None = None, **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        if loop is None:
            self._sweep_once()
            return
        if loop < 1:
            self.stderr.write("--loop needs at least 1 second.")
            return
        while True:
            close_old_connections()
            try:
                self._sweep_once()
            except Exception as exc:  # noqa: BLE001 - keep looping; the next run retries
                self.stderr.write(f"sweep failed: {exc!r}")
            time.sleep(loop)

    def _sweep_once(self) -> None:
        counts = sweep_due()
        if any(counts.values()) or self.verbosity > 1:
            summary = ", ".join(f"{name}={n}" for name, n in counts.items())
            self.stdout.write(f"sweep: {summary}")
