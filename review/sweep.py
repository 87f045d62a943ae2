"""The periodic sweep: act on everything that has fallen due (DESIGN.md, "Time").

``sweep_due`` runs every step of ``SWEEP_STEPS`` with the same ``now``. A step takes
``now`` and returns how many objects it changed. Each step must be:

- idempotent: it acts only on what is due and not yet handled, so running the sweep
  twice changes nothing more (the second run returns zero counts);
- safe with parallel sweeps: it locks each row with ``select_for_update(skip_locked=True)``
  and rechecks the condition inside the lock; a row another sweep holds is left to it;
- bounded: it handles at most ``BATCH_SIZE * MAX_BATCHES`` rows per run; the rest wait
  for the next run (every 5 minutes, config/settings/base.py);
- self-contained: it relies on stored due moments, never on a task scheduled ahead.

Other features register their own step with ``register_sweep_step`` (for instance unit
publicity that has run its course, R6.3) instead of editing ``sweep_due``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_abandon

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_BATCHES = 10

SweepStep = Callable[[datetime.datetime], int]


def abandon_overdue_returns(now: datetime.datetime) -> int:
    """Abandon returned declarations whose correction deadline has passed (R6.1, R6.6)."""
    done = 0
    seen: set[int] = set()
    for _batch in range(MAX_BATCHES):
        ids = list(
            Declaration.objects.filter(state=State.RETURNED, correction_due_at__lte=now)
            .exclude(pk__in=seen)
            .order_by("correction_due_at", "pk")
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not ids:
            break
        seen.update(ids)
        for pk in ids:
            with transaction.atomic():
                # Recheck inside the lock: the applicant may have resubmitted meanwhile,
                # or another sweep may hold or have handled the row.
                row = (
                    Declaration.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, state=State.RETURNED, correction_due_at__lte=now)
                    .first()
                )
                if row is None:
                    continue
                declaration_abandon(declaration=row, now=now)
                done += 1
    return done


# (name, step) in the order they run; the name is the key of the count in the result.
SWEEP_STEPS: list[tuple[str, SweepStep]] = [
    ("abandoned", abandon_overdue_returns),
]


def register_sweep_step(name: str, step: SweepStep) -> None:
    """Add a step to the sweep (once; registering the same name again replaces it)."""
    for index, (existing, _step) in enumerate(SWEEP_STEPS):
        if existing == name:
            SWEEP_STEPS[index] = (name, step)
            return
    SWEEP_STEPS.append((name, step))


def sweep_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every sweep step once; return how many objects each changed.

    A failing step is logged and counted as ``-1`` so that the others still run; the
    next run retries it.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for name, step in SWEEP_STEPS:
        try:
            counts[name] = step(now)
        except Exception:  # noqa: BLE001 - one failing step must not stop the others
            logger.exception("sweep step %s failed", name)
            counts[name] = -1
    return counts
