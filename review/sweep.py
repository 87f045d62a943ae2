"""The periodic sweep: act on everything that has fallen due (DESIGN.md, "Time").

``sweep_due`` runs every step of ``SWEEP_STEPS`` with the same ``now``. A step takes
``now`` and returns how many objects it changed. Each step must be:

- idempotent: it acts only on what is due and not yet handled, so running the sweep
  twice changes nothing more (the second run returns zero counts);
- safe with parallel sweeps: it locks each row with ``FOR UPDATE SKIP LOCKED``
  (``select_for_update(skip_locked=True)``) and rechecks the condition inside the lock; a
  row another sweep holds is left to it;
- bounded: it stops after ``MAX_SECONDS`` (well inside the 5 minutes between runs,
  config/settings/base.py); the rest waits for the next run;
- self-contained: it relies on stored due moments, never on a task scheduled ahead;
- cheap when nothing is due: one index-backed query (the sweep runs every 5 minutes and
  is timed with nothing due, docs/benchmarks.md).

Other features register their own step with ``register_sweep_step`` (for instance unit
publicity that has run its course, R6.3) instead of editing ``sweep_due``.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declarations.enums import State
from declarations.models import Declaration

logger = logging.getLogger(__name__)

# Rows handled per transaction, and how long one run may keep going: a run stops well
# before the next one starts (every 5 minutes); what is left waits for it.
BATCH_SIZE = 2000
MAX_SECONDS = 240.0

SweepStep = Callable[[datetime.datetime], int]

# One statement locks a batch of overdue returns and abandons them. ``FOR UPDATE SKIP
# LOCKED`` leaves a row another sweep (or the applicant's resubmission) holds; PostgreSQL
# rechecks the condition on each row it locks, so a row resubmitted meanwhile is not
# touched. Ordered by the partial index ``declaration_return_due_idx`` alone: a plain
# index scan, which also marks the entries of rows abandoned earlier as dead (a bitmap
# scan never does, and a sweep with nothing due paid for them until VACUUM). The ids go
# to the UPDATE as an array: a join let PostgreSQL scan the whole table for 2,000 rows.
_ABANDON_SQL = """
    UPDATE {table}
    SET state = %(abandoned)s, state_changed_at = %(now)s, updated_at = %(now)s
    WHERE id = ANY(ARRAY(
        SELECT id FROM {table}
        WHERE state = %(returned)s AND correction_due_at <= %(now)s
        ORDER BY correction_due_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ))
    RETURNING id, applicant_id, correction_due_at
"""


@dataclass(frozen=True, slots=True)
class AbandonedRow:
    """What the audit row and the notification of one abandoned declaration need."""

    pk: int
    applicant_id: int
    correction_due_at: datetime.datetime


def abandon_overdue_returns(now: datetime.datetime) -> int:
    """Abandon returned declarations whose correction deadline has passed (R6.1, R6.6).

    Set-based, one transaction per batch of ``BATCH_SIZE``: one ``UPDATE ... RETURNING``
    locks and abandons the batch (``_ABANDON_SQL``), then one bulk insert of the audit
    rows and one of the applicants' notifications, whose emails are queued after commit.
    The result is the same as ``declarations.services.declaration_abandon`` on each row
    (tests/review/test_sweep.py), at four statements per batch (docs/benchmarks.md). A
    batch killed halfway rolls back whole; the next run takes it again.
    """
    done = 0
    started = time.monotonic()
    while time.monotonic() - started < MAX_SECONDS:
        with transaction.atomic():
            rows = _abandon_due(now, BATCH_SIZE)
            if not rows:
                break
            _abandon_locked(rows, now)
            done += len(rows)
        if len(rows) < BATCH_SIZE:
            break  # the last batch: nothing else is due (or another sweep holds it)
    return done


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _abandon_due(now: datetime.datetime, limit: int) -> list[AbandonedRow]:
    """Lock and abandon up to ``limit`` overdue returns; return them."""
    if not _postgresql():
        # The embedded SQLite of ``make run`` (one writer, no SKIP LOCKED): the same batch
        # through the ORM, inside the caller's transaction.
        found = list(
            Declaration.objects.filter(state=State.RETURNED, correction_due_at__lte=now)
            .order_by("correction_due_at", "pk")
            .values_list("pk", "applicant_id", "correction_due_at")[:limit]
        )
        Declaration.objects.filter(pk__in=[r[0] for r in found], state=State.RETURNED).update(
            state=State.ABANDONED, state_changed_at=now, updated_at=now
        )
        return [AbandonedRow(*row) for row in found]
    sql = _ABANDON_SQL.format(table=connection.ops.quote_name(Declaration._meta.db_table))
    params = {"abandoned": State.ABANDONED, "returned": State.RETURNED, "now": now, "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [AbandonedRow(*row) for row in cursor.fetchall()]


def _abandon_locked(rows: list[AbandonedRow], now: datetime.datetime) -> None:
    """Write the audit rows and notifications of declarations just abandoned."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent
    from core.notifications import notify_recipients
    from declarations.workflow import TRANSITIONS
    from review.paths import path_format

    info = TRANSITIONS["abandon"]
    content_type = ContentType.objects.get_for_model(Declaration)
    title = _("您的职称申报：%(action)s") % {"action": info.label}
    rules = list(info.rules)
    page_path = path_format("declarations:detail")
    # Deadlines end at 24:00 of a day: a batch shares few of them, each worded once.
    reasons: dict[datetime.datetime, tuple[str, str]] = {}
    audit, news = [], []
    for row in rows:
        due = row.correction_due_at
        if due not in reasons:
            label = Declaration(correction_due_at=due).correction_due_label
            reasons[due] = (
                _("未在补正期限（%(due)s）前重新提交，视为放弃（R6.1、R6.6）。") % {"due": label},
                due.isoformat(),
            )
        reason, due_iso = reasons[due]
        audit.append(
            AuditEvent(
                actor=None,
                action="abandon",
                content_type=content_type,
                object_id=str(row.pk),
                from_state=State.RETURNED,
                to_state=State.ABANDONED,
                reason=reason,
                data={"rules": rules, "correction_due_at": due_iso},
            )
        )
        news.append((row.applicant_id, title, reason, page_path.format(row.pk)))
    AuditEvent.objects.bulk_create(audit)
    notify_recipients("declaration_abandon", news)


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
