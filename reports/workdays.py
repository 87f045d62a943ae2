"""Many working-day due dates at once, for lists: one calendar load, not one per row.

``core.workdays.add_working_days`` loads the calendar's override rows on every call; a
dashboard that lists twenty meetings would run twenty queries. ``add_working_days_many``
counts the same way (R9.1a: the opening day never counts; the period ends at 24:00 of
its n-th working day) from one calendar loaded for every year the list can reach.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from core.workdays import CalendarNotCovered, _Calendar  # one load for the whole list

_ONE_DAY = datetime.timedelta(days=1)


def add_working_days_many(opened: Sequence[datetime.date], n: int) -> list[datetime.date | None]:
    """The last day of an ``n``-working-day period for each opening day; None where the
    calendar of a year the period reaches is not published (R9.1)."""
    if not opened:
        return []
    calendar = _Calendar()
    calendar.load(min(opened).year, (max(opened) + datetime.timedelta(days=2 * n + 30)).year)
    result: list[datetime.date | None] = []
    for day in opened:
        try:
            days = calendar.working_days_after(day)
            for _skipped in range(n - 1):
                next(days)
            result.append(next(days))
        except CalendarNotCovered:
            result.append(None)
    return result
