"""Committee staff record a one-off recusal at the meeting (R7.1), page and API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from committees.ballot_selectors import candidate_counts
from committees.ballots import ballot_cast
from committees.enums import ExclusionReason, MeetingState
from committees.models import ConflictDeclaration, Recusal
from committees.services import recusal_record
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from tests.committees.ballot_factories import expert_make, voting_meeting_make
from tests.factories import UserFactory


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_page_records_recusal_and_count_leaves_expert_out(client, db):
    vm = voting_meeting_make(attending=4)
    c, member = vm.candidates[0], vm.members[2]
    client.force_login(vm.staff)

    response = client.post(
        reverse("committees:recusal_add", args=[vm.meeting.pk]),
        {"expert": member.expert.pk, "candidate": c.pk, "reason": "申报人为其近亲属"},
    )

    assert response.status_code == 302
    recusal = Recusal.objects.get(candidate=c, expert=member.expert)
    assert recusal.reason == ExclusionReason.DECLARED
    assert ConflictDeclaration.objects.get(expert=member.expert).reason == "申报人为其近亲属"
    # R7.3 as documented: a recused expert is out of that candidate's count.
    assert candidate_counts(c, vm.meeting).eligible == 3
    with pytest.raises(ServiceError) as exc:
        ballot_cast(candidate=c, actor=member.expert.user, choice="agree")
    assert exc.value.code == "recused"


def test_meeting_page_shows_recusal_form_to_staff(client, db):
    vm = voting_meeting_make(attending=3)
    client.force_login(vm.staff)

    page = client.get(reverse("committees:meeting", args=[vm.meeting.pk])).content.decode()

    assert "登记专家回避" in page
    assert reverse("committees:recusal_add", args=[vm.meeting.pk]) in page


def test_staff_page_with_blank_reason_is_400_and_changes_nothing(client, db):
    vm = voting_meeting_make(attending=3)
    client.force_login(vm.staff)

    response = client.post(
        reverse("committees:recusal_add", args=[vm.meeting.pk]),
        {"expert": vm.members[1].expert.pk, "candidate": vm.candidates[0].pk, "reason": ""},
    )

    assert response.status_code == 400
    assert Recusal.objects.count() == 0


def test_api_records_recusal(db):
    vm = voting_meeting_make(attending=3)
    c, member = vm.candidates[0], vm.members[1]

    response = _api(vm.staff).post(
        f"/api/v1/meetings/{vm.meeting.pk}/recusals/",
        {"candidate": c.pk, "expert": member.expert.pk, "reason": "合作关系"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json() == {"expert": member.expert.pk, "reason": "declared"}


def test_api_after_vote_is_409_and_changes_nothing(db):
    vm = voting_meeting_make(attending=3)
    c, member = vm.candidates[0], vm.members[1]
    ballot_cast(candidate=c, actor=member.expert.user, choice="agree")

    response = _api(vm.staff).post(
        f"/api/v1/meetings/{vm.meeting.pk}/recusals/",
        {"candidate": c.pk, "expert": member.expert.pk, "reason": "合作关系"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "already_voted"
    assert Recusal.objects.count() == 0
    assert ConflictDeclaration.objects.count() == 0


def test_api_expert_not_on_meeting_is_404(db):
    vm = voting_meeting_make(attending=3)
    outsider = expert_make(committee=vm.meeting.committee)

    response = _api(vm.staff).post(
        f"/api/v1/meetings/{vm.meeting.pk}/recusals/",
        {"candidate": vm.candidates[0].pk, "expert": outsider.pk, "reason": "x"},
        format="json",
    )

    assert response.status_code == 404
    assert Recusal.objects.count() == 0


def test_api_by_a_stranger_is_404(db):
    vm = voting_meeting_make(attending=3)

    response = _api(UserFactory()).post(
        f"/api/v1/meetings/{vm.meeting.pk}/recusals/",
        {"candidate": vm.candidates[0].pk, "expert": vm.members[1].expert.pk, "reason": "x"},
        format="json",
    )

    assert response.status_code == 404


def test_service_refuses_after_signing_and_non_staff(db):
    vm = voting_meeting_make(attending=3, state=MeetingState.SIGNED)
    c, member = vm.candidates[0], vm.members[1]

    with pytest.raises(TransitionNotAllowed):
        recusal_record(meeting=vm.meeting, candidate=c, expert=member.expert, reason="x", actor=vm.staff)
    open_vm = voting_meeting_make(attending=3)
    with pytest.raises(PermissionRefused):
        recusal_record(
            meeting=open_vm.meeting,
            candidate=open_vm.candidates[0],
            expert=open_vm.members[1].expert,
            reason="x",
            actor=open_vm.members[1].expert.user,
        )
    assert Recusal.objects.count() == 0


def test_overlong_reason_is_400_not_500(db):
    vm = voting_meeting_make(attending=3)

    response = _api(vm.members[1].expert.user).post(
        f"/api/v1/meetings/{vm.meeting.pk}/candidates/{vm.candidates[0].pk}/conflict/",
        {"reason": "长" * 300},
        format="json",
    )

    assert response.status_code == 400
    assert ConflictDeclaration.objects.count() == 0


def _recuse_api(vm, c, member):  # type: ignore[no-untyped-def]
    return _api(vm.staff).post(
        f"/api/v1/meetings/{vm.meeting.pk}/recusals/",
        {"candidate": c.pk, "expert": member.expert.pk, "reason": "合作关系"},
        format="json",
    )


def test_recusal_after_voting_closed_is_409_voting_closed(db):
    """Once the counts are shown, a recusal of a member who did not vote would lower the
    two-thirds base and could turn the result (R7.3): refused, staff and expert alike."""
    from committees.results import voting_close
    from committees.services import conflict_declare

    vm = voting_meeting_make(attending=4)
    c, member = vm.candidates[0], vm.members[3]
    for m in vm.members[:3]:
        ballot_cast(candidate=c, actor=m.expert.user, choice="agree")
    presiding = next(m for m in vm.members if m.expert_id == vm.meeting.presiding_id)
    voting_close(meeting=vm.meeting, actor=presiding.expert.user)

    response = _recuse_api(vm, c, member)

    assert response.status_code == 409
    assert response.json()["code"] == "voting_closed"
    with pytest.raises(TransitionNotAllowed) as exc:
        conflict_declare(
            expert=member.expert, declaration=c.declaration, reason="合作关系", actor=member.expert.user
        )
    assert exc.value.code == "voting_closed"
    assert Recusal.objects.count() == 0
    assert ConflictDeclaration.objects.count() == 0


def test_recusal_after_paper_tally_is_409_tally_entered(db):
    from committees.ballots import tally_enter
    from committees.enums import VotingMode

    vm = voting_meeting_make(attending=3, mode=VotingMode.PAPER)
    c = vm.candidates[0]
    tally_enter(candidate=c, actor=vm.staff, agree=3, disagree=0, abstain=0)

    response = _recuse_api(vm, c, vm.members[1])

    assert response.status_code == 409
    assert response.json()["code"] == "tally_entered"
    assert Recusal.objects.count() == 0
