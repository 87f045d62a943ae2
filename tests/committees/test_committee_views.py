"""Pages of the committee staff and the experts; scope answers 404."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.enums import CommitteeRoleKind
from committees.models import Draw, DrawEntry, MeetingCandidate, MeetingMember, Recusal
from committees.services import draw_perform
from tests.committees.factories import accepted_declaration, expert_add, meeting_make, setup_make
from tests.factories import OrganisationFactory, UserFactory, admin_of


def test_committee_pages_render_for_staff(client, db) -> None:
    s = setup_make()
    expert_add(s.committee, role=CommitteeRoleKind.CHAIR, name="王主任")
    meeting = meeting_make(s)
    client.force_login(s.staff)
    for url in [
        reverse("committees:list"),
        reverse("committees:detail", args=[s.committee.pk]),
        reverse("committees:experts") + "?field=big_data&q=王",
        reverse("committees:meeting", args=[meeting.pk]),
        reverse("committees:my"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "王主任" in client.get(reverse("committees:experts")).content.decode()


@pytest.mark.parametrize("kind", ["committee_host", "unit"])
def test_committee_pages_other_organisation_404(client, db, kind: str) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    client.force_login(admin_of(OrganisationFactory(kind=kind)))
    assert client.get(reverse("committees:detail", args=[s.committee.pk])).status_code == 404
    assert client.get(reverse("committees:meeting", args=[meeting.pk])).status_code == 404
    assert (
        client.post(reverse("committees:draw", args=[meeting.pk]), {"needed": 1, "drawn": 2}).status_code
        == 404
    )


def test_schedule_page_other_organisation_404(client, db) -> None:
    s = setup_make()
    client.force_login(UserFactory())
    response = client.post(
        reverse("committees:detail", args=[s.committee.pk]),
        {
            "campaign": s.campaign.pk,
            "scheduled_at": "2026-12-01T09:00",
            "location": "x",
            "voting_mode": "paper",
        },
    )
    assert response.status_code == 404


def test_schedule_page_creates_meeting(client, db) -> None:
    s = setup_make()
    client.force_login(s.staff)
    response = client.post(
        reverse("committees:detail", args=[s.committee.pk]),
        {
            "campaign": s.campaign.pk,
            "scheduled_at": "2026-12-01T09:00",
            "location": "第二会议室",
            "voting_mode": "paper",
        },
    )
    assert response.status_code == 302
    assert s.committee.meetings.get().voting_mode == "paper"


def test_draw_page_shows_commitment_and_verification(client, db) -> None:
    s = setup_make()
    for _ in range(5):
        expert_add(s.committee)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    client.force_login(s.staff)
    response = client.post(reverse("committees:draw", args=[meeting.pk]), {"needed": 2, "drawn": 3})
    assert response.status_code == 302
    draw = Draw.objects.get(meeting=meeting)
    page = client.get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    assert draw.seed_commitment in page
    assert "一致" in page


def test_draw_page_not_more_than_needed_shows_error(client, db) -> None:
    s = setup_make()
    for _ in range(5):
        expert_add(s.committee)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    client.force_login(s.staff)
    response = client.post(reverse("committees:draw", args=[meeting.pk]), {"needed": 3, "drawn": 3})
    assert response.status_code == 400
    assert Draw.objects.count() == 0


def test_expert_accepts_from_my_page(client, db) -> None:
    s = setup_make()
    experts = [expert_add(s.committee, login=True) for _ in range(4)]
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    entry = DrawEntry.objects.get(draw=draw, order=1)
    expert = next(e for e in experts if e.pk == entry.expert_id)
    client.force_login(expert.user)
    assert "已邀请" in client.get(reverse("committees:my")).content.decode()
    response = client.post(reverse("committees:respond", args=[entry.pk]), {"accept": "1"})
    assert response.status_code == 302
    seat = MeetingMember.objects.get(meeting=meeting, expert=expert)
    response = client.post(reverse("committees:sign_in", args=[seat.pk]))
    assert MeetingMember.objects.get(pk=seat.pk).attending is True


def test_expert_cannot_answer_others_invitation_404(client, db) -> None:
    s = setup_make()
    for _ in range(4):
        expert_add(s.committee)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    draw = draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    client.force_login(UserFactory())
    entry = DrawEntry.objects.get(draw=draw, order=1)
    assert client.post(reverse("committees:respond", args=[entry.pk]), {"accept": "1"}).status_code == 404


def _meeting_page_queries(client, n: int) -> int:  # type: ignore[no-untyped-def]
    s = setup_make()
    experts = [
        expert_add(s.committee, role=CommitteeRoleKind.CHAIR if i == 0 else "member") for i in range(n + 3)
    ]
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign) for _ in range(n)])
    draw_perform(meeting=meeting, needed=n + 1, drawn=n + 2, actor=s.staff)
    for e in experts[:n]:
        MeetingMember.objects.get_or_create(meeting=meeting, expert=e)
    for c in MeetingCandidate.objects.filter(meeting=meeting):
        Recusal.objects.get_or_create(candidate=c, expert=experts[0], defaults={"reason": "other"})
    accepted_declaration(s.campaign)
    client.force_login(s.staff)
    url = reverse("committees:meeting", args=[meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_page_queries_constant_in_candidates(client, db) -> None:
    assert _meeting_page_queries(client, 2) == _meeting_page_queries(client, 7)


def test_navigation_links_my_invitations_for_experts_only(client, db) -> None:
    s = setup_make()
    expert = expert_add(s.committee, login=True)
    link = f'href="{reverse("committees:my")}"'
    client.force_login(expert.user)
    assert link in client.get(reverse("core:home")).content.decode()
    client.force_login(s.staff)
    assert link not in client.get(reverse("core:home")).content.decode()
