"""The periodic sweep: act on everything that has fallen due (DESIGN.md, "Time").

``sweep_due`` runs every step of ``SWEEP_STEPS`` with the same ``now``. A step takes
``now`` and returns how many objects it changed. Each step must be:

- idempotent: it acts only on what is due and not yet handled, so running the sweep
  twice changes nothing more (the second run returns zero counts);
- safe with parallel sweeps: it locks each row with ``select_for_update(skip_locked=True)``
  and rechecks the condition inside the lock; a row another sweep holds is left to it;
- bounded: it stops after ``MAX_SECONDS`` (well inside the 5 minutes between runs,
  config/settings/base.py); the rest waits for the next run;
- self-contained: it relies on stored due moments, never on a task scheduled ahead.

Other features register their own step with ``register_sweep_step`` (for instance unit
publicity that has run its course, R6.3) instead of editing ``sweep_due``.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declarations.enums import State
from declarations.models import Declaration

logger = logging.getLogger(__name__)

# Rows handled per transaction, and how long one run may keep going: a run stops well
# before the next one starts (every 5 minutes); what is left waits for it.
BATCH_SIZE = 500
MAX_SECONDS = 240.0

SweepStep = Callable[[datetime.datetime], int]


def abandon_overdue_returns(now: datetime.datetime) -> int:
    """Abandon returned declarations whose correction deadline has passed (R6.1, R6.6).

    Set-based, one transaction per batch of ``BATCH_SIZE``: lock the overdue rows with
    ``FOR UPDATE SKIP LOCKED`` (the lock rechecks the condition: a row the applicant
    resubmitted meanwhile no longer matches, a row another sweep holds is skipped), then
    one UPDATE, one bulk insert of the audit rows and one of the applicants'
    notifications. The result is the same as ``declarations.services.declaration_abandon``
    on each row, at a few queries per batch instead of a dozen per row
    (docs/benchmarks.md).
    """
    done = 0
    started = time.monotonic()
    while time.monotonic() - started < MAX_SECONDS:
        with transaction.atomic():
            rows = list(
                Declaration.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(state=State.RETURNED, correction_due_at__lte=now)
                .select_related("applicant")
                .order_by("correction_due_at", "pk")[:BATCH_SIZE]
            )
            if not rows:
                break
            _abandon_locked(rows, now)
            done += len(rows)
    return done


def _abandon_locked(rows: list[Declaration], now: datetime.datetime) -> None:
    """Write the abandon transition of locked, overdue returned declarations."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent
    from core.notifications import notify_each
    from declarations.workflow import TRANSITIONS

    info = TRANSITIONS["abandon"]
    Declaration.objects.filter(pk__in=[d.pk for d in rows]).update(
        state=State.ABANDONED, state_changed_at=now, updated_at=now
    )
    content_type = ContentType.objects.get_for_model(Declaration)
    audit, news = [], []
    title = _("您的职称申报：%(action)s") % {"action": info.label}
    for d in rows:
        reason = _("未在补正期限（%(due)s）前重新提交，视为放弃（R6.1、R6.6）。") % {
            "due": d.correction_due_label
        }
        audit.append(
            AuditEvent(
                actor=None,
                action="abandon",
                content_type=content_type,
                object_id=str(d.pk),
                from_state=State.RETURNED,
                to_state=State.ABANDONED,
                reason=reason,
                data={"rules": list(info.rules), "correction_due_at": d.correction_due_at.isoformat()},
            )
        )
        news.append((d.applicant, "declaration_abandon", title, reason, d.get_absolute_url()))
    AuditEvent.objects.bulk_create(audit)
    notify_each(news)


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
