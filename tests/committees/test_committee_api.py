"""Committee API: the same actions as the pages, with the shared error shape."""

from __future__ import annotations

from django.urls import reverse

from committees.enums import CommitteeRoleKind
from committees.models import Draw, DrawEntry, MeetingMember
from tests.committees.factories import accepted_declaration, expert_add, meeting_make, setup_make
from tests.factories import OrganisationFactory, admin_of


def test_api_full_meeting_flow(api_client, db) -> None:
    s = setup_make()
    chair = expert_add(s.committee, role=CommitteeRoleKind.CHAIR)
    for _ in range(5):
        expert_add(s.committee)
    declaration = accepted_declaration(s.campaign)
    api_client.force_authenticate(s.staff)

    response = api_client.post(
        reverse("api:meeting-schedule", args=[s.committee.pk]),
        {"campaign": s.campaign.pk, "scheduled_at": "2026-12-01T09:00:00+08:00", "location": "会议室"},
        format="json",
    )
    assert response.status_code == 201
    pk = response.data["id"]
    response = api_client.post(
        reverse("api:meeting-candidate-add", args=[pk]), {"declaration": declaration.pk}
    )
    assert response.status_code == 200
    assert len(response.data["candidates"]) == 1
    # The chair is seated first, so the draw leaves them out (already a member).
    response = api_client.post(reverse("api:meeting-officer-add", args=[pk]), {"expert": chair.pk})
    assert response.status_code == 200

    response = api_client.post(reverse("api:meeting-draw", args=[pk]), {"needed": 2, "drawn": 2})
    assert (response.status_code, response.data["code"]) == (400, "draw_not_over_needed")
    response = api_client.post(reverse("api:meeting-draw", args=[pk]), {"needed": 2, "drawn": 3})
    assert response.status_code == 201
    assert response.data["verified"] is True
    assert response.data["seed_commitment"] != ""

    for entry in DrawEntry.objects.filter(draw__meeting_id=pk):
        response = api_client.post(
            reverse("api:draw-entry-respond", args=[entry.pk]), {"accept": True}, format="json"
        )
        assert response.status_code == 200
    response = api_client.post(reverse("api:meeting-presiding", args=[pk]), {"expert": chair.pk})
    assert response.data["presiding"] == chair.pk

    seats = list(MeetingMember.objects.filter(meeting_id=pk).order_by("role", "pk"))
    assert len(seats) == 4
    response = api_client.post(
        reverse("api:meeting-attendance", args=[pk]), {"present": [seats[0].pk, seats[1].pk]}, format="json"
    )
    assert response.data["quorum_met"] is False
    response = api_client.post(reverse("api:meeting-open-voting", args=[pk]))
    assert (response.status_code, response.data["code"]) == (400, "quorum_not_met")

    api_client.post(
        reverse("api:meeting-attendance", args=[pk]), {"present": [m.pk for m in seats[:3]]}, format="json"
    )
    response = api_client.post(reverse("api:meeting-open-voting", args=[pk]))
    assert (response.status_code, response.data["state"]) == (200, "voting_open")
    response = api_client.post(reverse("api:meeting-open-voting", args=[pk]))
    assert response.status_code == 409


def test_api_other_organisation_404(api_client, db) -> None:
    s = setup_make()
    for _ in range(4):
        expert_add(s.committee)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    api_client.force_authenticate(admin_of(OrganisationFactory(kind="committee_host")))
    assert (
        api_client.post(reverse("api:meeting-draw", args=[meeting.pk]), {"needed": 2, "drawn": 3}).status_code
        == 404
    )
    assert api_client.post(reverse("api:meeting-schedule", args=[s.committee.pk]), {}).status_code == 404
    assert api_client.get(reverse("api:meeting-detail", args=[meeting.pk])).status_code == 404
    assert api_client.get(reverse("api:committee-list")).data == []
    assert Draw.objects.count() == 0


def test_api_expert_list_filters(api_client, db) -> None:
    s = setup_make()
    expert_add(s.committee, field="blockchain", name="区块链专家")
    expert_add(s.committee, field="big_data")
    api_client.force_authenticate(s.staff)
    response = api_client.get(reverse("api:expert-list"), {"field": "blockchain"})
    assert [e["name"] for e in response.data["results"]] == ["区块链专家"]
