"""The working-day service: State Council calendar, office overrides, counting (R9.1, R9.1a)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import CalendarDay, CalendarYear
from core.workdays import (
    PACKAGE_FIRST_YEAR,
    PACKAGE_LAST_YEAR,
    CalendarNotCovered,
    add_working_days,
    first_day_after,
    is_working_day,
    package_covers,
    period_end,
    uncovered_years_warning,
    working_days_between,
    year_is_covered,
)
from tests.factories import UserFactory

# These tests enter and check the office's calendar themselves.
pytestmark = pytest.mark.real_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def publish_year(
    year: int, *, holidays: tuple[dt.date, ...] | list[dt.date], working: tuple[dt.date, ...] = ()
) -> CalendarYear:
    """Enter a year's notice the way the office does: its days first, then the year."""
    for day in holidays:
        CalendarDay.objects.create(date=day, is_working_day=False, note="放假", source="测试〔2098〕1号")
    for day in working:
        CalendarDay.objects.create(date=day, is_working_day=True, note="调休上班", source="测试〔2098〕1号")
    return CalendarYear.objects.create(year=year, published=True, source="测试〔2098〕1号")


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# --- the State Council calendar (R9.1) ------------------------------------------------


def test_package_covers_2004_to_2026():
    # Documented in docs/working-days.md; update both when the package is upgraded.
    assert (PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR) == (2004, 2026)


def test_is_working_day_2024_mid_autumn(db):
    assert D(2024, 9, 14).weekday() == 5
    assert is_working_day(D(2024, 9, 14)) is True
    assert [is_working_day(d) for d in days(D(2024, 9, 15), D(2024, 9, 17))] == [False, False, False]
    assert is_working_day(D(2024, 9, 18)) is True


def test_is_working_day_2024_national_day(db):
    assert [is_working_day(d) for d in days(D(2024, 10, 1), D(2024, 10, 7))] == [False] * 7
    assert D(2024, 9, 29).weekday() == 6
    assert is_working_day(D(2024, 9, 29)) is True
    assert D(2024, 10, 12).weekday() == 5
    assert is_working_day(D(2024, 10, 12)) is True
    assert is_working_day(D(2024, 10, 13)) is False


def test_is_working_day_2025_spring_festival(db):
    # Checked against chinesecalendar 1.11.0: 28 Jan - 4 Feb off, 26 Jan and 8 Feb worked.
    assert [is_working_day(d) for d in days(D(2025, 1, 28), D(2025, 2, 4))] == [False] * 8
    assert D(2025, 1, 26).weekday() == 6
    assert is_working_day(D(2025, 1, 26)) is True
    assert D(2025, 2, 8).weekday() == 5
    assert is_working_day(D(2025, 2, 8)) is True
    assert is_working_day(D(2025, 1, 27)) is True
    assert is_working_day(D(2025, 2, 5)) is True


def test_is_working_day_datetime_refused(db):
    with pytest.raises(TypeError):
        is_working_day(dt.datetime(2024, 10, 8, 9, 0, tzinfo=SHANGHAI))


# --- counting (R9.1a) -------------------------------------------------------------------


def test_add_working_days_r91a_example(db):
    # Opened Fri 27 Sep 2024: 29 Sep (adjusted Sunday), 30 Sep, 8, 9, 10 Oct.
    assert add_working_days(D(2024, 9, 27), 5) == D(2024, 10, 10)
    assert [add_working_days(D(2024, 9, 27), n) for n in range(1, 6)] == [
        D(2024, 9, 29),
        D(2024, 9, 30),
        D(2024, 10, 8),
        D(2024, 10, 9),
        D(2024, 10, 10),
    ]


def test_first_day_after_r91a_example(db):
    assert first_day_after(D(2024, 9, 27), 5) == D(2024, 10, 11)


def test_period_end_r91a_example(db):
    opened_at = dt.datetime(2024, 9, 27, 15, 30, tzinfo=SHANGHAI)
    assert period_end(opened_at, 5) == dt.datetime(2024, 10, 11, 0, 0, tzinfo=SHANGHAI)
    assert period_end(opened_at, 5).utcoffset() == dt.timedelta(hours=8)


def test_period_end_opening_day_taken_in_beijing_time(db):
    # 26 Sep 17:00 UTC is already 27 Sep 01:00 in Chongqing.
    opened_at = dt.datetime(2024, 9, 26, 17, 0, tzinfo=dt.UTC)
    assert period_end(opened_at, 5) == dt.datetime(2024, 10, 11, 0, 0, tzinfo=SHANGHAI)


def test_period_end_naive_datetime_refused(db):
    with pytest.raises(ValueError):
        period_end(dt.datetime(2024, 9, 27, 15, 30), 5)


def test_add_working_days_opened_on_holiday(db):
    # Opened on National Day itself: the count starts on the first working day after it.
    assert add_working_days(D(2024, 10, 1), 1) == D(2024, 10, 8)
    # 8, 9, 10, 11 Oct and Saturday 12 Oct, an adjusted working day.
    assert add_working_days(D(2024, 10, 1), 5) == D(2024, 10, 12)


def test_add_working_days_opened_on_working_day_not_counted(db):
    assert is_working_day(D(2024, 9, 2)) is True
    assert add_working_days(D(2024, 9, 2), 1) == D(2024, 9, 3)
    assert add_working_days(D(2024, 9, 2), 5) == D(2024, 9, 9)


def test_add_working_days_n1_next_working_day(db):
    # Friday 13 Sep 2024: the next working day is Saturday 14 Sep (Mid-Autumn 调休).
    assert add_working_days(D(2024, 9, 13), 1) == D(2024, 9, 14)
    # Saturday 14 Sep: the next one skips 15-17 Sep.
    assert add_working_days(D(2024, 9, 14), 1) == D(2024, 9, 18)


def test_add_working_days_across_spring_festival(db):
    # Opened Fri 24 Jan 2025: 26 Jan (adjusted Sunday), 27 Jan, then 5, 6, 7 Feb.
    assert add_working_days(D(2025, 1, 24), 5) == D(2025, 2, 7)


def test_add_working_days_zero_refused(db):
    with pytest.raises(ValueError):
        add_working_days(D(2024, 9, 27), 0)


def test_publicity_cannot_end_a_day_early(db):
    opened = D(2024, 9, 27)
    end = add_working_days(opened, 5)
    # R6.3, R9.2: "at least 5 working days" — the day before the end is still inside.
    assert working_days_between(opened, end - dt.timedelta(days=1)) == 4
    assert working_days_between(opened, end) == 5
    closes = period_end(dt.datetime(2024, 9, 27, 9, 0, tzinfo=SHANGHAI), 5)
    last_moment = closes - dt.timedelta(microseconds=1)
    assert last_moment.astimezone(SHANGHAI).date() == D(2024, 10, 10)


def test_working_days_between_counts_after_start_through_end(db):
    # (27 Sep, 12 Oct]: 29, 30 Sep, 8, 9, 10, 11, 12 Oct.
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 12)) == 7
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 7)) == 0


def test_working_days_between_empty_range_is_zero(db):
    assert working_days_between(D(2024, 10, 10), D(2024, 10, 10)) == 0
    assert working_days_between(D(2024, 10, 10), D(2024, 10, 8)) == 0


# --- office overrides -------------------------------------------------------------------


def test_add_working_days_override_holiday_shifts_result(db):
    CalendarDay.objects.create(date=D(2024, 10, 8), is_working_day=False, note="临时放假")
    assert is_working_day(D(2024, 10, 8)) is False
    assert add_working_days(D(2024, 9, 27), 5) == D(2024, 10, 11)
    assert first_day_after(D(2024, 9, 27), 5) == D(2024, 10, 12)


def test_is_working_day_override_working_day_wins(db):
    CalendarDay.objects.create(date=D(2024, 10, 5), is_working_day=True, note="调休上班")
    assert is_working_day(D(2024, 10, 5)) is True
    assert add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 5)


# --- uncovered years --------------------------------------------------------------------


def test_is_working_day_uncovered_year_raises(db):
    with pytest.raises(CalendarNotCovered) as caught:
        is_working_day(D(2099, 3, 2))
    assert caught.value.code == "calendar_not_covered"
    assert caught.value.year == 2099
    assert "2099年" in str(caught.value.message)


def test_is_working_day_uncovered_year_with_rows_unpublished_raises(db):
    # Rows entered but the year not yet published are a draft: still refused.
    CalendarDay.objects.create(date=D(2099, 1, 1), is_working_day=False, note="元旦")
    CalendarYear.objects.create(year=2099, published=False, source="")
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2099, 1, 1))
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2099, 1, 5))


def test_add_working_days_uncovered_year_raises(db):
    with pytest.raises(CalendarNotCovered):
        add_working_days(D(2099, 1, 5), 5)


def test_add_working_days_published_year_uses_overrides(db):
    publish_year(2099, holidays=[D(2099, 1, 1), D(2099, 1, 2)], working=(D(2099, 1, 3),))
    assert year_is_covered(2099) is True
    assert is_working_day(D(2099, 1, 1)) is False
    assert is_working_day(D(2099, 1, 3)) is True  # a Saturday worked by the notice
    assert is_working_day(D(2099, 1, 4)) is False  # a plain Sunday
    # Opened Thu 1 Jan: 3 Jan (Saturday, worked), 5, 6, 7, 8 Jan.
    assert add_working_days(D(2099, 1, 1), 5) == D(2099, 1, 8)


def test_add_working_days_into_unpublished_year_raises(db):
    publish_year(2099, holidays=[D(2099, 1, 1)])
    # 2100 is neither in the package nor published: a period reaching it is refused...
    with pytest.raises(CalendarNotCovered) as caught:
        add_working_days(D(2099, 12, 28), 10)
    assert caught.value.year == 2100
    # ...while one that ends before the new year is fine.
    assert add_working_days(D(2099, 12, 28), 3) == D(2099, 12, 31)


def test_year_is_covered_package_and_published(db):
    assert year_is_covered(2024) is True
    assert year_is_covered(2099) is False
    CalendarYear.objects.create(year=2099, published=False)
    assert year_is_covered(2099) is False
    publish_year(2098, holidays=[D(2098, 1, 1)])
    assert year_is_covered(2098) is True
    assert year_is_covered(2003) is False


# --- the 1 November warning -------------------------------------------------------------


def test_uncovered_years_warning_2026_11_01_next_year_published_is_none(db):
    publish_year(2027, holidays=[D(2027, 1, 1)])
    assert uncovered_years_warning(D(2026, 11, 1)) is None


@pytest.mark.skipif(package_covers(2027), reason="the installed chinesecalendar already covers 2027")
def test_uncovered_years_warning_2026_11_01_next_year_missing(db):
    warning = uncovered_years_warning(D(2026, 11, 1))
    assert warning is not None
    assert "2027年" in warning


def test_uncovered_years_warning_from_november_iff_next_year_uncovered(db):
    # Years outside the package, so the outcome does not depend on its version.
    publish_year(2098, holidays=[D(2098, 1, 1)])
    assert uncovered_years_warning(D(2098, 10, 31)) is None
    warning = uncovered_years_warning(D(2098, 11, 1))
    assert warning is not None
    assert "2099年" in warning
    assert "2098年" not in warning
    publish_year(2099, holidays=[D(2099, 1, 1)])
    assert uncovered_years_warning(D(2098, 11, 1)) is None
    assert uncovered_years_warning(D(2098, 12, 31)) is None


def test_uncovered_years_warning_current_year_missing(db):
    warning = uncovered_years_warning(D(2099, 3, 1))
    assert warning is not None
    assert "2099年" in warning


# --- database access --------------------------------------------------------------------


def test_add_working_days_query_count_does_not_grow_with_n(db):
    with CaptureQueriesContext(connection) as short:
        add_working_days(D(2024, 9, 27), 5)
    with CaptureQueriesContext(connection) as long:
        add_working_days(D(2024, 9, 27), 60)
    assert len(short) == 1
    assert len(long) == len(short)


def test_add_working_days_query_count_published_year(db):
    publish_year(2099, holidays=[D(2099, 1, 1)])
    with CaptureQueriesContext(connection) as short:
        add_working_days(D(2099, 1, 5), 5)
    with CaptureQueriesContext(connection) as long:
        add_working_days(D(2099, 1, 5), 60)
    # The days, and the published flag of the year the package does not know.
    assert len(short) == 2
    assert len(long) == len(short)


def test_working_days_between_query_count_does_not_grow_with_range(db):
    with CaptureQueriesContext(connection) as short:
        working_days_between(D(2024, 9, 27), D(2024, 10, 10))
    with CaptureQueriesContext(connection) as long:
        working_days_between(D(2024, 1, 1), D(2025, 12, 31))
    assert len(short) == 1
    assert len(long) == len(short)


# --- validation and admin ---------------------------------------------------------------


def test_calendar_year_publish_without_source_refused(db):
    CalendarDay.objects.create(date=D(2099, 1, 1), is_working_day=False, note="元旦")
    year = CalendarYear(year=2099, published=True, source="")
    with pytest.raises(ValidationError) as caught:
        year.full_clean()
    assert list(caught.value.message_dict) == ["source"]


def test_calendar_year_publish_without_holidays_refused(db):
    year = CalendarYear(year=2099, published=True, source="国办发明电〔2098〕1号")
    with pytest.raises(ValidationError) as caught:
        year.full_clean()
    assert list(caught.value.message_dict) == ["published"]
    CalendarDay.objects.create(date=D(2099, 1, 1), is_working_day=False, note="元旦")
    year.full_clean()


def test_calendar_year_publish_package_year_needs_no_rows(db):
    CalendarYear(year=2026, published=True, source="国办发明电〔2025〕7号").full_clean()


def test_calendar_day_year_out_of_range_refused(db):
    with pytest.raises(ValidationError) as caught:
        CalendarDay(date=D(1999, 10, 1), is_working_day=False, note="国庆节").full_clean()
    assert list(caught.value.message_dict) == ["date"]


def test_calendar_admin_pages_render(db, client):
    publish_year(2099, holidays=[D(2099, 1, 1)])
    CalendarDay.objects.create(date=D(2024, 10, 8), is_working_day=False, note="临时放假")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in [
        "/admin/core/calendaryear/",
        "/admin/core/calendarday/",
        "/admin/core/calendaryear/add/",
        "/admin/core/calendarday/add/",
    ]:
        assert client.get(url).status_code == 200


def test_calendar_admin_add_day_in_unpublished_year_warns(db, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/core/calendarday/add/",
        {"date": "2099-01-01", "is_working_day": "", "note": "元旦", "source": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert CalendarDay.objects.filter(date=D(2099, 1, 1)).count() == 1
    assert "2099年尚未" in response.content.decode()
