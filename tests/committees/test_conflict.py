"""An expert declares a conflict with a candidate and so recuses from it (R7.1, R7.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from committees.ballots import ballot_cast
from committees.models import Ballot, ConflictDeclaration, Recusal
from core.exceptions import ServiceError
from tests.committees.ballot_factories import voting_meeting_make
from tests.factories import UserFactory


def test_conflict_page_recuses_expert_and_refuses_their_ballot(client, db):
    vm = voting_meeting_make(attending=3)
    c, member = vm.candidates[0], vm.members[1]
    client.force_login(member.expert.user)

    response = client.post(
        reverse("committees:conflict", args=[vm.meeting.pk, c.pk]), {"reason": "与申报人同一单位"}
    )

    assert response.status_code == 302
    assert Recusal.objects.filter(candidate=c, expert=member.expert).count() == 1
    with pytest.raises(ServiceError) as exc:
        ballot_cast(candidate=c, actor=member.expert.user, choice="agree")
    assert exc.value.code == "recused"
    assert Ballot.objects.filter(candidate=c).count() == 0


def test_conflict_after_voting_is_refused(db):
    vm = voting_meeting_make(attending=3)
    c, member = vm.candidates[0], vm.members[1]
    ballot_cast(candidate=c, actor=member.expert.user, choice="agree")
    client = APIClient()
    client.force_authenticate(member.expert.user)

    response = client.post(
        f"/api/v1/meetings/{vm.meeting.pk}/candidates/{c.pk}/conflict/", {"reason": "x"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "already_voted"
    assert ConflictDeclaration.objects.count() == 0


def test_conflict_api_by_outsider_is_404(db):
    vm = voting_meeting_make(attending=3)
    client = APIClient()
    client.force_authenticate(UserFactory())

    response = client.post(
        f"/api/v1/meetings/{vm.meeting.pk}/candidates/{vm.candidates[0].pk}/conflict/",
        {"reason": "x"}, format="json",
    )

    assert response.status_code == 404
    assert ConflictDeclaration.objects.count() == 0
