"""The working-day calendar every period of the platform is counted in (R9.1, R9.1a).

A day is a working day by, in this order of precedence:

1. the title office's override row (``CalendarDay``), entered in the admin;
2. the State Council calendar in the ``chinesecalendar`` package, which knows the
   adjusted working weekends (调休);
3. for a year the package does not know but the office has marked published
   (``CalendarYear.published``): Monday to Friday, since every holiday and adjusted
   working day of the notice is then an override row.

A year that is neither in the package nor published is not covered: asking about any
of its days raises ``CalendarNotCovered``. There is deliberately no fallback to plain
weekends (R9.1); override rows in such a year are a draft until the year is published.

Every public function loads the office's rows once for the years it looks at (one query
for the days, and one more for the published years only when a year outside the package
is involved), never one query per day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext as _

from core.exceptions import ServiceError
from core.models import CalendarDay, CalendarYear

# Periods are counted in the office's local time whatever the server's settings say.
OFFICE_TZ = ZoneInfo("Asia/Shanghai")

# The package refuses (NotImplementedError) any date outside the years of its holiday
# table; it holds every year between the first and the last.
PACKAGE_FIRST_YEAR: int = min(day.year for day in chinese_calendar.holidays)
PACKAGE_LAST_YEAR: int = max(day.year for day in chinese_calendar.holidays)

_ONE_DAY = datetime.timedelta(days=1)


class CalendarNotCovered(ServiceError):
    """A period reaches into a year whose holiday notice nobody has entered (R9.1)."""

    def __init__(self, year: int) -> None:
        super().__init__(
            "calendar_not_covered",
            _(
                "%(year)s年的法定节假日安排尚未发布或尚未录入，无法按工作日计算期限；"
                "请联系职称办录入%(year)s年的节假日安排。"
            )
            % {"year": year},
        )
        self.year = year


def package_covers(year: int) -> bool:
    """Tell whether the ``chinesecalendar`` package holds the State Council calendar of ``year``."""
    return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR


class _Calendar:
    """The working days of whole years, loaded from the database on first use."""

    def __init__(self) -> None:
        self._overrides: dict[datetime.date, bool] = {}
        self._published: set[int] = set()
        self._first_year: int | None = None
        self._last_year: int | None = None

    def load(self, first_year: int, last_year: int) -> None:
        """Make sure the rows of every year from ``first_year`` to ``last_year`` are loaded."""
        if self._first_year is None or self._last_year is None:
            self._fetch(first_year, last_year)
            self._first_year, self._last_year = first_year, last_year
            return
        if first_year < self._first_year:
            self._fetch(first_year, self._first_year - 1)
            self._first_year = first_year
        if last_year > self._last_year:
            self._fetch(self._last_year + 1, last_year)
            self._last_year = last_year

    def _fetch(self, first_year: int, last_year: int) -> None:
        rows = CalendarDay.objects.filter(
            date__range=(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))
        ).values_list("date", "is_working_day")
        self._overrides.update(rows)
        outside_package = [y for y in range(first_year, last_year + 1) if not package_covers(y)]
        if outside_package:
            self._published.update(
                CalendarYear.objects.filter(year__in=outside_package, published=True).values_list(
                    "year", flat=True
                )
            )

    def covers(self, year: int) -> bool:
        self.load(year, year)
        return package_covers(year) or year in self._published

    def is_working_day(self, day: datetime.date) -> bool:
        if not self.covers(day.year):
            raise CalendarNotCovered(day.year)
        if day in self._overrides:
            return self._overrides[day]
        if package_covers(day.year):
            return bool(chinese_calendar.is_workday(day))
        # A published year outside the package: the notice's days are all override rows.
        return day.weekday() < 5

    def working_days_after(self, day: datetime.date) -> Iterator[datetime.date]:
        """Yield the working days after ``day``, in order, without end."""
        while True:
            day += _ONE_DAY
            if self.is_working_day(day):
                yield day


def _check_date(day: datetime.date) -> None:
    # A datetime is a date too, and would silently carry its time through the arithmetic.
    if isinstance(day, datetime.datetime):
        raise TypeError("Pass a date, not a datetime; use period_end() for datetimes.")


def _check_count(n: int) -> None:
    if n < 1:
        raise ValueError(f"A period has at least one working day, got {n}.")


def year_is_covered(year: int) -> bool:
    """Tell whether working days of ``year`` can be counted (package or published notice)."""
    return package_covers(year) or CalendarYear.objects.filter(year=year, published=True).exists()


def is_working_day(day: datetime.date) -> bool:
    """Tell whether ``day`` is a working day; raise ``CalendarNotCovered`` for an unknown year."""
    _check_date(day)
    return _Calendar().is_working_day(day)


def add_working_days(opened_on: datetime.date, n: int) -> datetime.date:
    """Return the last day of a period of ``n`` working days opened on ``opened_on``.

    R9.1a: the period starts on the first working day after the opening day (which never
    counts, even when it is a working day) and ends at 24:00 of its ``n``-th working day,
    the day returned. Opened on Fri 2024-09-27, 5 working days end on 2024-10-10.
    """
    _check_date(opened_on)
    _check_count(n)
    calendar = _Calendar()
    # Load, in one go, every year the period can plausibly reach: n working days never
    # take more than 2n + 30 calendar days, Spring Festival included. Going further
    # loads one more year lazily.
    calendar.load(opened_on.year, (opened_on + datetime.timedelta(days=2 * n + 30)).year)
    days = calendar.working_days_after(opened_on)
    for _skipped in range(n - 1):
        next(days)
    return next(days)


def first_day_after(opened_on: datetime.date, n: int) -> datetime.date:
    """Return the first day the next action may happen: the day after the period ends.

    Opened on 2024-09-27 with 5 working days, the period ends at 24:00 on 2024-10-10 and
    the unit may send the declaration up from 2024-10-11 (R6.3, R9.1a).
    """
    return add_working_days(opened_on, n) + _ONE_DAY


def period_end(opened_at: datetime.datetime, n: int) -> datetime.datetime:
    """Return the aware moment a period of ``n`` working days opened at ``opened_at`` ends.

    The opening day is the date of ``opened_at`` in Beijing time; the period ends at
    24:00 of its ``n``-th working day, returned as 00:00 of the next calendar day in
    Asia/Shanghai (R9.1a).
    """
    if opened_at.tzinfo is None or opened_at.utcoffset() is None:
        raise ValueError("period_end() needs a timezone-aware datetime.")
    opened_on = opened_at.astimezone(OFFICE_TZ).date()
    return datetime.datetime.combine(first_day_after(opened_on, n), datetime.time.min, tzinfo=OFFICE_TZ)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Count the working days after ``start`` up to and including ``end``; 0 if ``end <= start``.

    With ``start`` today and ``end`` a period's last day, this is how many working days
    are left after today.
    """
    _check_date(start)
    _check_date(end)
    if end <= start:
        return 0
    calendar = _Calendar()
    calendar.load(start.year, end.year)
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        if calendar.is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def uncovered_years_warning(today: datetime.date) -> str | None:
    """Return a warning for the office when a year it must enter is still missing, else None.

    The current year must always be covered; from 1 November on, next year too, since
    the State Council usually publishes the next year's notice in the autumn and periods
    opened in December reach into January.
    """
    _check_date(today)
    years = [today.year]
    if today.month >= 11:
        years.append(today.year + 1)
    calendar = _Calendar()
    calendar.load(years[0], years[-1])
    missing = [year for year in years if not calendar.covers(year)]
    if not missing:
        return None
    return _(
        "%(years)s年的法定节假日安排尚未录入。请在管理后台“日历调整”中录入国务院办公厅"
        "通知中的放假和调休上班日期，并在“节假日安排年度”中标记为已发布；"
        "在此之前，跨入该年的期限无法计算。"
    ) % {"years": "、".join(str(year) for year in missing)}
