"""The campaign in numbers for the office and the committee host (issue 7 part 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import District, OrgKind
from declarations.enums import Level, State
from reports.statistics import campaign_statistics
from tests.committees.factories import setup_make
from tests.factories import UserFactory, admin_of
from tests.reports.builders import city_org, declarations_make, signed_meeting_row, unit_make

pytestmark = pytest.mark.django_db


def _world():  # type: ignore[no-untyped-def]
    s = setup_make()
    dept = city_org(OrgKind.COMPETENT_DEPARTMENT)
    declarations_make(s.campaign, 2, state=State.IN_REVIEW, unit=unit_make(District.YUBEI), current=dept)
    declarations_make(
        s.campaign, 3, state=State.PASSED, unit=unit_make(District.JIULONGPO), level=Level.ENGINEER
    )
    declarations_make(s.campaign, 1, state=State.FAILED, level=Level.ENGINEER)
    declarations_make(s.campaign, 1, state=State.CERTIFIED, level=Level.SENIOR_ENGINEER)
    declarations_make(s.campaign, 2, state=State.DRAFT)
    declarations_make(
        s.campaign, 1, state=State.RETURNED, correction_due_at=timezone.now() - dt.timedelta(days=1)
    )
    signed_meeting_row(s.committee, s.campaign, days_ago=30)
    return s


def _bars(bars) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {b.key: b.value for b in bars}


def test_statistics_count_every_way():
    s = _world()
    stats = campaign_statistics(s.campaign)
    assert stats.total == 8  # drafts are not counted
    by_state = _bars(stats.by_state)
    assert by_state["passed"] == 3 and by_state["in_review"] == 2 and "draft" not in by_state
    assert _bars(stats.by_step) == {"competent_department": 2}
    assert _bars(stats.by_district)[District.YUBEI] == 2
    rates = {r["level"]: r["rate"] for r in stats.pass_table}
    assert rates[Level.ENGINEER] == 75.0  # 3 passed, 1 failed (R7.3)
    assert rates[Level.SENIOR_ENGINEER] == 100.0
    assert rates[""] == 80.0
    overdue = _bars(stats.overdue)
    assert overdue["returned"] == 1
    assert overdue["report"] == 1  # signed 30 days ago, no report (R8.1)


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("who", ["host", "office"])
def test_statistics_page_renders_with_constant_queries(client, who):
    s = _world()
    user = s.staff if who == "host" else UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    url = f"/reports/?campaign={s.campaign.pk}"
    client.get(url)
    one, _html = _count(client, url)
    declarations_make(s.campaign, 7, state=State.PASSED, unit=unit_make(District.WANZHOU))
    declarations_make(s.campaign, 4, state=State.IN_REVIEW, current=unit_make())
    signed_meeting_row(s.committee, s.campaign, days_ago=12)
    many, html = _count(client, url)
    assert one == many
    assert "<svg" in html and 'class="bar-chart"' in html
    assert 'id="chart-data"' in html and "<script>" not in html  # no inline script (CSP)
    assert "统计表（Excel）" in html


def test_statistics_api_for_host_and_404_for_foreign_host(client):
    s = _world()
    client.force_login(s.staff)
    body = client.get(f"/api/v1/campaigns/{s.campaign.pk}/statistics/").json()
    assert body["total"] == 8
    assert {b["key"]: b["value"] for b in body["by_level"]}["engineer"] >= 4
    other = setup_make()
    client.force_login(other.staff)
    response = client.get(f"/api/v1/campaigns/{s.campaign.pk}/statistics/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("kind", [OrgKind.UNIT, OrgKind.APPROVAL_BODY])
def test_statistics_refused_to_other_roles(client, kind):
    s = _world()
    org = s.campaign.approval_body if kind == OrgKind.APPROVAL_BODY else unit_make()
    client.force_login(admin_of(org))
    assert client.get(f"/api/v1/campaigns/{s.campaign.pk}/statistics/").status_code == 404
    assert client.get(f"/reports/campaigns/{s.campaign.pk}/statistics.xlsx").status_code == 404


def test_reports_page_404_for_a_plain_applicant(client):
    client.force_login(UserFactory())
    assert client.get("/reports/").status_code == 404


def test_reports_page_for_an_administrator_with_nothing_to_export(client):
    client.force_login(admin_of(unit_make()))
    response = client.get("/reports/")
    assert response.status_code == 200
    assert "目前没有可导出的名单" in response.content.decode()
