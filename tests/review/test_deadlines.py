"""Correction deadlines of returns (R6.1, R6.6), counted in working days (R9.1, R9.1a)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.exceptions import ServiceError
from core.workdays import CalendarNotCovered
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_resubmit
from review.services import committee_return, step_return
from tests.review.test_services import at_committee, refused, stored, submitted

S = State
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A chain without a unit step, so it reaches the committee without unit publicity (R6.3).
FREELANCER = "freelancer"
# A Monday in a covered year; every working-day count below starts here unless stated.
MON = dt.datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)


def returned(world, applicant, **kwargs) -> Declaration:  # type: ignore[no-untyped-def]
    d = submitted(world, applicant)
    return step_return(
        declaration=d, actor=world.admin(world.unit), defects=["缺少学历证书"], **kwargs
    )


def test_step_return_default_deadline_is_5_working_days(world, applicant):
    d = returned(world, applicant, now=MON)

    # Opened Mon 3 Mar: Tue 4 .. Mon 10 Mar are the 5 working days; ends 24:00 on 10 Mar.
    assert d.correction_due_at == dt.datetime(2025, 3, 11, 0, 0, tzinfo=SHANGHAI)
    assert Declaration.objects.get(pk=d.pk).correction_due_at == d.correction_due_at
    assert d.correction_due_label == "2025-03-10 24:00"


def test_step_return_over_2024_national_day(world, applicant):
    opened = dt.datetime(2024, 9, 27, 15, 0, tzinfo=SHANGHAI)

    d = returned(world, applicant, deadline_working_days=5, now=opened)

    # R9.1a: 29 Sep, 30 Sep, 8, 9, 10 Oct; due 11 Oct 00:00 Beijing time.
    assert d.correction_due_at == dt.datetime(2024, 10, 11, 0, 0, tzinfo=SHANGHAI)


def test_step_return_deadline_date_ends_at_midnight_beijing(world, applicant):
    d = returned(world, applicant, deadline_date=dt.date(2025, 3, 20), now=MON)

    assert d.correction_due_at == dt.datetime(2025, 3, 21, 0, 0, tzinfo=SHANGHAI)


def test_step_return_deadline_date_today_allowed(world, applicant):
    d = returned(world, applicant, deadline_date=MON.date(), now=MON)

    assert d.correction_due_at == dt.datetime(2025, 3, 4, 0, 0, tzinfo=SHANGHAI)


def test_step_return_deadline_date_in_past_refused(world, applicant):
    d = submitted(world, applicant)
    before = stored(d)

    error = refused(
        lambda: step_return(
            declaration=d, actor=world.admin(world.unit), defects=["缺少学历证书"],
            deadline_date=dt.date(2025, 3, 2), now=MON,
        ),
        "deadline_in_past",
    )

    assert error.field == "deadline_date"
    assert stored(d) == before


def test_step_return_both_deadline_inputs_refused(world, applicant):
    d = submitted(world, applicant)

    refused(
        lambda: step_return(
            declaration=d, actor=world.admin(world.unit), defects=["缺少学历证书"],
            deadline_working_days=3, deadline_date=dt.date(2025, 3, 20), now=MON,
        ),
        "deadline_conflict",
    )


@pytest.mark.parametrize("days", [0, -1, 61])
def test_step_return_working_days_out_of_range_refused(world, applicant, days):
    d = submitted(world, applicant)

    refused(
        lambda: step_return(
            declaration=d, actor=world.admin(world.unit), defects=["x"],
            deadline_working_days=days, now=MON,
        ),
        "deadline_invalid",
    )


@pytest.mark.real_calendar
def test_step_return_into_uncovered_year_refused(world, applicant):
    d = submitted(world, applicant)
    before = stored(d)

    error = refused(
        lambda: step_return(
            declaration=d, actor=world.admin(world.unit), defects=["x"],
            now=dt.datetime(2099, 6, 1, 10, 0, tzinfo=SHANGHAI),
        ),
        "calendar_not_covered",
        CalendarNotCovered,
    )

    assert "2099" in str(error.message)
    assert stored(d) == before


def test_resubmit_one_second_before_due_allowed(world, applicant):
    d = returned(world, applicant, now=MON)

    d = declaration_resubmit(
        declaration=d, actor=applicant, now=d.correction_due_at - dt.timedelta(seconds=1)
    )

    assert d.state == S.IN_REVIEW
    assert Declaration.objects.get(pk=d.pk).correction_due_at is None


@pytest.mark.parametrize("late", [dt.timedelta(0), dt.timedelta(days=3)])
def test_resubmit_at_or_after_due_refused(world, applicant, late):
    d = returned(world, applicant, now=MON)
    before = stored(d)

    error = refused(
        lambda: declaration_resubmit(declaration=d, actor=applicant, now=d.correction_due_at + late),
        "correction_deadline_passed",
    )

    assert "2025-03-10 24:00" in str(error.message)
    assert stored(d) == before


def test_committee_return_sets_deadline_and_resubmit_clears_it(world, applicant):
    d = at_committee(world, applicant, FREELANCER)

    d = committee_return(
        declaration=d, actor=world.admin(world.committee_host), defects=["缺少论文检索证明"],
        deadline_working_days=10, now=MON,
    )

    # Tue 4 Mar .. Mon 17 Mar are 10 working days.
    assert d.correction_due_at == dt.datetime(2025, 3, 18, 0, 0, tzinfo=SHANGHAI)
    d = declaration_resubmit(declaration=d, actor=applicant, now=MON + dt.timedelta(days=1))
    assert d.state == S.COMMITTEE_CHECK
    assert d.correction_due_at is None


def test_committee_return_deadline_passed_refuses_resubmit(world, applicant):
    d = at_committee(world, applicant, FREELANCER)
    d = committee_return(
        declaration=d, actor=world.admin(world.committee_host), defects=["x"],
        deadline_date=dt.date(2025, 3, 5), now=MON,
    )

    refused(
        lambda: declaration_resubmit(
            declaration=d, actor=applicant, now=dt.datetime(2025, 3, 6, 0, 0, tzinfo=SHANGHAI)
        ),
        "correction_deadline_passed",
    )


# -- pages and API ---------------------------------------------------------------------------


def test_return_page_with_date_sets_deadline_and_applicant_sees_it(client, world, applicant):
    d = submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    due_date = dt.date.today() + dt.timedelta(days=10)

    response = client.post(
        reverse("review:decide", args=[d.pk]),
        {"action": "return", "defects": "缺少学历证书", "reason": "", "deadline_date": due_date.isoformat()},
    )

    assert response.status_code == 302
    d = Declaration.objects.get(pk=d.pk)
    assert d.state == S.RETURNED
    assert d.correction_due_at == dt.datetime.combine(
        due_date + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI
    )
    client.force_login(applicant)
    for url in (reverse("declarations:list"), d.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f"请于 {due_date:%Y-%m-%d} 24:00 前补正" in html


def test_return_page_with_past_date_shows_field_error(client, world, applicant):
    d = submitted(world, applicant)
    client.force_login(world.admin(world.unit))

    response = client.post(
        reverse("review:decide", args=[d.pk]),
        {"action": "return", "defects": "x", "deadline_date": "2020-01-01"},
    )

    assert response.status_code == 200
    assert "补正截止日期不能早于今天" in response.content.decode()
    assert Declaration.objects.get(pk=d.pk).state == S.IN_REVIEW


def test_return_api_with_working_days_answers_due(api_client, world, applicant):
    d = submitted(world, applicant)
    api_client.force_authenticate(world.admin(world.unit))

    response = api_client.post(
        reverse("api:review-return", args=[d.pk]),
        {"defects": ["x"], "deadline_working_days": 3},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["correction_due_at"] is not None
    assert Declaration.objects.get(pk=d.pk).correction_due_at is not None


def test_return_api_past_date_answers_400(api_client, world, applicant):
    d = submitted(world, applicant)
    api_client.force_authenticate(world.admin(world.unit))

    response = api_client.post(
        reverse("api:review-return", args=[d.pk]),
        {"defects": ["x"], "deadline_date": "2020-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "deadline_in_past"
    assert response.json()["field"] == "deadline_date"


def test_resubmit_api_after_due_answers_400(api_client, world, applicant):
    d = returned(world, applicant, now=MON)  # due 2025-03-11, long past the real clock
    api_client.force_authenticate(applicant)

    response = api_client.post(reverse("api:declaration-resubmit", args=[d.pk]))

    assert response.status_code == 400
    assert response.json()["code"] == "correction_deadline_passed"


def test_service_error_is_a_service_error():
    assert issubclass(CalendarNotCovered, ServiceError) is True
