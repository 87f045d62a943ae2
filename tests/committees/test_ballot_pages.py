"""Pages and API of the vote, results and minutes (R7.3 to R7.6)."""

from __future__ import annotations

from django.urls import reverse

from committees.enums import VotingMode
from committees.models import Ballot, VoteReceipt
from declarations.enums import State
from tests.committees.ballot_factories import fresh_declaration, voting_meeting_make
from tests.factories import UserFactory, admin_of


def test_vote_page_shows_one_card_per_candidate(client, db):
    vm = voting_meeting_make(attending=3, candidates=2)
    client.force_login(vm.members[1].expert.user)
    response = client.get(reverse("committees:vote", args=[vm.meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card ballot-card"') == 2
    assert "<script" not in html
    assert "结束投票" not in html  # only the presiding chair sees it


def test_vote_page_outside_meeting_is_404(client, db):
    vm = voting_meeting_make(attending=3)
    client.force_login(UserFactory())
    assert client.get(reverse("committees:vote", args=[vm.meeting.pk])).status_code == 404


def test_vote_cast_page_records_ballot(client, db):
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    client.force_login(vm.members[1].expert.user)
    url = reverse("committees:vote_cast", args=[vm.meeting.pk, c.pk])
    response = client.post(url, {"choice": "agree"})
    assert response.status_code == 302
    client.post(url, {"choice": "disagree"})
    counts = (Ballot.objects.filter(candidate=c).count(), VoteReceipt.objects.filter(candidate=c).count())
    assert counts == (1, 1)
    page = client.get(reverse("committees:vote", args=[vm.meeting.pk])).content.decode()
    assert "已投票" in page


def test_chair_closes_and_signs_through_pages(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    for m in vm.attending:
        client.force_login(m.expert.user)
        client.post(reverse("committees:vote_cast", args=[vm.meeting.pk, c.pk]), {"choice": "agree"})
    client.force_login(vm.chair.user)
    client.post(reverse("committees:close_voting", args=[vm.meeting.pk]))
    page = client.get(reverse("committees:vote", args=[vm.meeting.pk])).content.decode()
    assert "应参加表决 3 人：同意 3，不同意 0，弃权 0" in page
    client.post(reverse("committees:sign", args=[vm.meeting.pk]))
    assert fresh_declaration(c).state == State.PASSED


def test_ballot_api_answers_204_without_body(api_client, db):
    vm = voting_meeting_make(attending=3)
    api_client.force_authenticate(vm.members[1].expert.user)
    url = reverse("api:meeting-ballot-cast", args=[vm.meeting.pk, vm.candidates[0].pk])
    response = api_client.post(url, {"choice": "agree"}, format="json")
    assert (response.status_code, response.content) == (204, b"")
    again = api_client.post(url, {"choice": "agree"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_voted")


def test_ballot_api_absent_expert_refused(api_client, db):
    vm = voting_meeting_make(attending=3, absent=1)
    api_client.force_authenticate(vm.absent[0].expert.user)
    url = reverse("api:meeting-ballot-cast", args=[vm.meeting.pk, vm.candidates[0].pk])
    response = api_client.post(url, {"choice": "agree"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "absent")


def test_results_api_refused_while_voting_open(api_client, db):
    vm = voting_meeting_make(attending=3)
    api_client.force_authenticate(vm.staff)
    response = api_client.get(reverse("api:meeting-results", args=[vm.meeting.pk]))
    assert (response.status_code, response.json()["code"]) == (409, "voting_not_closed")


def test_results_api_gives_counts_after_close(api_client, db):
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    for m in vm.attending[:2]:
        api_client.force_authenticate(m.expert.user)
        api_client.post(reverse("api:meeting-ballot-cast", args=[vm.meeting.pk, c.pk]), {"choice": "agree"})
    api_client.force_authenticate(vm.chair.user)
    api_client.post(reverse("api:meeting-close-voting", args=[vm.meeting.pk]))
    api_client.force_authenticate(vm.staff)
    body = api_client.get(reverse("api:meeting-results", args=[vm.meeting.pk])).json()
    row = body["candidates"][0]
    assert (row["eligible"], row["agree"], row["disagree"], row["abstain"], row["outcome"]) == (
        3, 2, 0, 0, "passed",
    )


def test_tally_api_over_attendance_refused(api_client, db):
    vm = voting_meeting_make(attending=3, absent=2, mode=VotingMode.PAPER)
    api_client.force_authenticate(vm.staff)
    url = reverse("api:meeting-tally", args=[vm.meeting.pk, vm.candidates[0].pk])
    response = api_client.post(url, {"agree": 3, "disagree": 1, "abstain": 0}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "tally_exceeds_eligible")


def test_terminate_api_by_staff(api_client, db):
    vm = voting_meeting_make(attending=3)
    api_client.force_authenticate(vm.staff)
    url = reverse("api:meeting-candidate-terminate", args=[vm.meeting.pk, vm.candidates[0].pk])
    assert api_client.post(url, {"reason": "投诉查实"}, format="json").status_code == 204
    assert fresh_declaration(vm.candidates[0]).state == State.TERMINATED


def test_minutes_download_by_staff_and_approval_body_only(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=3)
    client.force_login(vm.chair.user)
    client.post(reverse("committees:close_voting", args=[vm.meeting.pk]))
    client.post(reverse("committees:sign", args=[vm.meeting.pk]))
    url = reverse("committees:minutes", args=[vm.meeting.pk])
    for user, code in (
        (vm.staff, 200),
        (admin_of(vm.campaign.approval_body), 200),
        (vm.members[1].expert.user, 404),
        (UserFactory(), 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == code
        if code == 200:
            assert b"".join(response.streaming_content)[:5] == b"%PDF-"
