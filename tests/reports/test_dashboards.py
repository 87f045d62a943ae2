"""Each role's dashboard on the home page: what waits, overdue, due soon (issue 7 part 1).

Every dashboard renders with demo-like data, and its number of queries does not grow
with the number of rows (checked at 1 and at several rows, STYLE.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import OrgKind
from declarations.enums import State
from reports.dashboards import dashboard_for
from tests.committees.factories import expert_add, meeting_make, setup_make
from tests.factories import CampaignFactory, DeclarationFactory, UserFactory, admin_of
from tests.reports.builders import (
    declarations_make,
    notice_draft_make,
    publicity_batch_make,
    seat_make,
    signed_meeting_row,
    unit_make,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str = "/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _constant(client, grow, url: str = "/") -> str:  # type: ignore[no-untyped-def]
    """Render once with one row, then after ``grow()`` adds more: same number of queries."""
    client.get(url)  # warm the working-day calendar (loaded once per process)
    one, _html = _queries(client, url)
    grow()
    many, html = _queries(client, url)
    assert one == many
    return html


def test_applicant_dashboard_lists_returned_and_drafts_with_constant_queries(client):
    user = UserFactory()
    due = timezone.now() + dt.timedelta(days=1)
    DeclarationFactory(applicant=user, state=State.RETURNED, correction_due_at=due)
    client.force_login(user)

    def grow():
        for _ in range(4):
            DeclarationFactory(applicant=user, state=State.RETURNED, correction_due_at=due)
        DeclarationFactory(applicant=user)

    html = _constant(client, grow)
    assert "补正后重新提交" in html
    assert "提交申报" in html
    board = dashboard_for(user)
    assert board.roles == ["applicant"]
    assert len(board.due_soon) == 5  # due tomorrow: within 3 working days
    assert len(board.waiting) == 1  # the draft: the filing window closes in 10 days


def test_applicant_overdue_correction_is_overdue():
    user = UserFactory()
    DeclarationFactory(
        applicant=user, state=State.RETURNED, correction_due_at=timezone.now() - dt.timedelta(days=2)
    )
    board = dashboard_for(user)
    assert [t.label.startswith("补正后重新提交") for t in board.overdue] == [True]


def test_unit_admin_dashboard_groups_queue_with_constant_queries(client):
    unit = unit_make()
    admin = admin_of(unit)
    campaign = CampaignFactory()
    declarations_make(campaign, 1, state=State.IN_REVIEW, unit=unit, current=unit)
    client.force_login(admin)

    def grow():
        ds = declarations_make(campaign, 6, state=State.IN_REVIEW, unit=unit, current=unit)
        declarations_make(CampaignFactory(), 3, state=State.IN_REVIEW, unit=unit, current=unit)
        publicity_batch_make(unit, ds[:2], publisher=admin)

    html = _constant(client, grow)
    assert "审核推荐" in html
    assert "公示期满" in html
    board = dashboard_for(admin)
    counts = sorted(t.count for t in board.waiting + board.due_soon if t.label.startswith("审核推荐"))
    assert counts == [3, 7]


def test_committee_host_dashboard_with_constant_queries(client):
    s = setup_make()
    declarations_make(s.campaign, 1, state=State.COMMITTEE_CHECK, current=s.host)
    signed_meeting_row(s.committee, s.campaign, days_ago=30)  # its report is overdue (R8.1)
    client.force_login(s.staff)

    def grow():
        declarations_make(s.campaign, 8, state=State.COMMITTEE_CHECK, current=s.host)
        declarations_make(s.campaign, 2, state=State.ACCEPTED)
        signed_meeting_row(s.committee, s.campaign, days_ago=40)
        meeting_make(s, when=timezone.now() + dt.timedelta(days=20))

    html = _constant(client, grow)
    assert "受理审核" in html
    assert "报送评审情况报告" in html
    assert 'class="bar-chart"' in html  # the campaign in numbers, on the host's home page
    board = dashboard_for(s.staff)
    assert board.roles == ["committee_host"]
    assert len([t for t in board.overdue if t.label.startswith("报送评审情况报告")]) == 2
    assert [t.count for t in board.waiting if t.label.startswith("受理审核")] == [9]
    assert [t.count for t in board.waiting if t.label.startswith("已受理")] == [2]


def test_approval_body_dashboard_with_constant_queries(client):
    s = setup_make()
    approver = admin_of(s.campaign.approval_body)
    notice_draft_make(signed_meeting_row(s.committee, s.campaign), s.staff, due_in_days=-1)
    client.force_login(approver)

    def grow():
        for _ in range(4):
            notice_draft_make(signed_meeting_row(s.committee, s.campaign), s.staff, due_in_days=30)

    html = _constant(client, grow)
    assert "核准并印发" in html
    board = dashboard_for(approver)
    assert board.roles == ["approval_body"]
    assert len(board.overdue) == 1
    assert len(board.waiting) == 4


def test_expert_dashboard_with_constant_queries(client):
    s = setup_make()
    expert = expert_add(s.committee, login=True)
    seat_make(meeting_make(s, when=timezone.now() + dt.timedelta(days=1)), expert)
    client.force_login(expert.user)

    def grow():
        for days in (2, 15, 30):
            seat_make(meeting_make(s, when=timezone.now() + dt.timedelta(days=days)), expert)

    html = _constant(client, grow)
    assert "出席评审会议" in html
    board = dashboard_for(expert.user)
    assert "expert" in board.roles
    assert len(board.due_soon) + len(board.waiting) == 4


def test_office_dashboard_with_constant_queries(client):
    office = UserFactory(is_staff=True, is_superuser=True)
    s = setup_make()
    declarations_make(
        s.campaign, 1, state=State.RETURNED, correction_due_at=timezone.now() - dt.timedelta(days=1)
    )
    signed_meeting_row(s.committee, s.campaign, days_ago=25)
    client.force_login(office)

    def grow():
        declarations_make(
            s.campaign, 5, state=State.RETURNED, correction_due_at=timezone.now() - dt.timedelta(days=1)
        )
        signed_meeting_row(s.committee, s.campaign, days_ago=30)
        notice_draft_make(signed_meeting_row(s.committee, s.campaign), s.staff, due_in_days=-3)

    html = _constant(client, grow)
    assert "补正期限已过" in html
    assert 'class="bar-chart"' in html
    board = dashboard_for(office)
    assert "office" in board.roles
    stale = [t for t in board.overdue if t.label.startswith("补正期限已过")]
    assert [t.count for t in stale] == [6]


def test_dashboard_api_answers_the_callers_tasks(client):
    unit = unit_make()
    admin = admin_of(unit)
    declarations_make(CampaignFactory(), 2, state=State.IN_REVIEW, unit=unit, current=unit)
    client.force_login(admin)
    body = client.get("/api/v1/dashboard/").json()
    assert body["roles"] == ["chain_admin"]
    tasks = body["overdue"] + body["due_soon"] + body["waiting"]
    assert [t["count"] for t in tasks] == [2]


def test_dashboard_api_refuses_anonymous(client):
    assert client.get("/api/v1/dashboard/").status_code in (401, 403)


def test_foreign_queue_is_not_on_the_dashboard():
    unit, other = unit_make(), unit_make()
    declarations_make(CampaignFactory(), 3, state=State.IN_REVIEW, unit=other, current=other)
    board = dashboard_for(admin_of(unit))
    assert board.is_empty


def test_home_shows_no_dashboard_to_visitors(client):
    assert "我的待办" not in client.get("/").content.decode()


def test_chain_admin_of_each_kind_sees_its_queue():
    for kind in (
        OrgKind.COMPETENT_DEPARTMENT,
        OrgKind.DISTRICT_HR,
        OrgKind.PERSONNEL_AGENCY,
        OrgKind.CQ_MANAGEMENT_BODY,
    ):
        from tests.factories import OrganisationFactory

        org = OrganisationFactory(kind=kind)
        declarations_make(CampaignFactory(), 2, state=State.IN_REVIEW, current=org)
        board = dashboard_for(admin_of(org))
        assert [t.count for t in board.waiting + board.due_soon] == [2], kind
