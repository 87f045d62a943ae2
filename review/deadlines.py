"""Correction deadlines of returns (R6.1, R6.6), counted in working days (R9.1, R9.1a).

A return gives the applicant a deadline either as a number of working days, counted by
``core.workdays.period_end`` from the day of the return, or as a date, ending at 24:00 of
that date in Beijing time. Without either, the deadline is
``DEFAULT_CORRECTION_WORKING_DAYS`` working days (docs/decisions.md). The moment is
computed once, when the return happens, and stored on ``Declaration.correction_due_at``.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from core.exceptions import ServiceError
from core.workdays import OFFICE_TZ, period_end

# The notice leaves the time to the reviewing organisation; see docs/decisions.md.
DEFAULT_CORRECTION_WORKING_DAYS = 5
MAX_CORRECTION_WORKING_DAYS = 60


def correction_due_at(
    *,
    opened_at: datetime.datetime,
    working_days: int | None = None,
    due_date: datetime.date | None = None,
) -> datetime.datetime:
    """Return the moment a correction period opened at ``opened_at`` ends.

    Raises ``ServiceError`` for both inputs at once, a count out of range or a date before
    the day of the return; ``CalendarNotCovered`` when the working days reach a year whose
    holiday notice nobody has entered.
    """
    if working_days is not None and due_date is not None:
        raise ServiceError(
            "deadline_conflict",
            _("补正期限请只填写工作日天数或截止日期中的一项。"),
            field="deadline_date",
        )
    if due_date is not None:
        today = opened_at.astimezone(OFFICE_TZ).date()
        if due_date < today:
            raise ServiceError(
                "deadline_in_past",
                _("补正截止日期不能早于今天。"),
                field="deadline_date",
            )
        # Ends at 24:00 of the given date, Beijing time.
        return datetime.datetime.combine(
            due_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=OFFICE_TZ
        )
    if working_days is None:
        working_days = DEFAULT_CORRECTION_WORKING_DAYS
    if not 1 <= working_days <= MAX_CORRECTION_WORKING_DAYS:
        raise ServiceError(
            "deadline_invalid",
            _("补正期限须为1至%(max)d个工作日。") % {"max": MAX_CORRECTION_WORKING_DAYS},
            field="deadline_working_days",
        )
    # R9.1a: counted from the first working day after the return, ends at 24:00.
    return period_end(opened_at, working_days)
