"""Results (R7.3, R7.4): the 2/3 rule, closing the vote, signing, and termination (R7.6)."""

from __future__ import annotations

import pytest

from committees.ballots import ballot_cast, ballot_passes, opinion_save, tally_enter
from committees.enums import CandidateOutcome, MeetingState, VotingMode
from committees.models import Ballot, CandidateResult, MeetingSignoff, Termination
from committees.results import candidate_terminate, results_sign, voting_close
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from declarations.enums import State
from tests.committees.ballot_factories import (
    fresh_declaration,
    fresh_meeting,
    recuse,
    voting_meeting_make,
)


@pytest.mark.parametrize(
    ("agree", "attending", "passes"),
    [
        (12, 17, True),
        (11, 17, False),
        (6, 9, True),
        (5, 9, False),
        (2, 3, True),
        (1, 3, False),
        (0, 0, False),
    ],
)
def test_ballot_passes_boundaries(agree, attending, passes):
    assert ballot_passes(agree, attending) == passes


def _vote(vm, candidate, agree: int, voters=None) -> None:
    voters = voters if voters is not None else list(vm.attending)
    for i, m in enumerate(voters):
        ballot_cast(candidate=candidate, actor=m.expert.user, choice="agree" if i < agree else "disagree")


def _close_and_sign(vm):
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    return results_sign(meeting=vm.meeting, actor=vm.chair.user)


@pytest.mark.parametrize(("attending", "agree", "state"), [(17, 12, State.PASSED), (17, 11, State.FAILED),
                                                           (9, 6, State.PASSED), (9, 5, State.FAILED)])
def test_results_sign_applies_two_thirds(db, settings, tmp_path, attending, agree, state):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=attending, absent=2)
    c = vm.candidates[0]
    _vote(vm, c, agree)
    _close_and_sign(vm)
    assert fresh_declaration(c).state == state
    result = CandidateResult.objects.get(candidate=c)
    assert (result.eligible, result.agree, result.disagree) == (attending, agree, attending - agree)
    assert fresh_meeting(vm.meeting).state == MeetingState.SIGNED


def test_results_sign_recusal_lowers_denominator(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # 10 attend, one recused: 9 eligible, so 6 agree pass (6 of 10 would not).
    vm = voting_meeting_make(attending=10)
    c = vm.candidates[0]
    recuse(c, vm.members[9])
    _vote(vm, c, 6, voters=vm.members[:9])
    _close_and_sign(vm)
    result = CandidateResult.objects.get(candidate=c)
    assert (result.eligible, result.agree, result.outcome) == (9, 6, CandidateOutcome.PASSED)
    assert fresh_declaration(c).state == State.PASSED


def test_results_sign_abstentions_and_missing_votes_count_against(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=9)
    c = vm.candidates[0]
    _vote(vm, c, 5, voters=vm.members[:5])  # 5 agree, 4 never vote
    _close_and_sign(vm)
    assert fresh_declaration(c).state == State.FAILED


def test_results_sign_one_audit_transition_per_declaration(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=3, candidates=2)
    _vote(vm, vm.candidates[0], 3)
    _vote(vm, vm.candidates[1], 1)
    _close_and_sign(vm)
    actions = sorted(
        AuditEvent.objects.filter(action__in=["pass_review", "fail_review"]).values_list(
            "object_id", "action"
        )
    )
    assert actions == sorted(
        [(str(vm.candidates[0].declaration_id), "pass_review"),
         (str(vm.candidates[1].declaration_id), "fail_review")]
    )


def test_voting_close_only_by_presiding_chair(db):
    vm = voting_meeting_make(attending=3)
    for actor in (vm.members[1].expert.user, vm.staff):
        with pytest.raises(PermissionRefused) as exc:
            voting_close(meeting=vm.meeting, actor=actor)
        assert exc.value.code == "not_presiding"
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    assert fresh_meeting(vm.meeting).state == MeetingState.VOTING_CLOSED
    assert MeetingSignoff.objects.get(meeting=vm.meeting).voting_closed_by == vm.chair


def test_ballot_cast_after_close_refused(db):
    vm = voting_meeting_make(attending=3)
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    with pytest.raises(TransitionNotAllowed) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=vm.members[1].expert.user, choice="agree")
    assert exc.value.code == "voting_not_open"


def test_results_sign_before_close_refused(db):
    vm = voting_meeting_make(attending=3)
    with pytest.raises(TransitionNotAllowed) as exc:
        results_sign(meeting=vm.meeting, actor=vm.chair.user)
    assert exc.value.code == "voting_not_closed"


def test_results_sign_only_by_presiding_chair(db):
    vm = voting_meeting_make(attending=3)
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    with pytest.raises(PermissionRefused) as exc:
        results_sign(meeting=vm.meeting, actor=vm.members[1].expert.user)
    assert exc.value.code == "not_presiding"


def test_after_signing_nothing_changes(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=3, candidates=2)
    c = vm.candidates[0]
    _vote(vm, c, 2)
    _close_and_sign(vm)
    user = vm.members[1].expert.user
    attempts = [
        lambda: ballot_cast(candidate=c, actor=user, choice="agree"),
        lambda: opinion_save(candidate=c, actor=user, text="补充意见"),
        lambda: tally_enter(candidate=c, actor=vm.staff, agree=1, disagree=0, abstain=0),
        lambda: candidate_terminate(candidate=vm.candidates[1], actor=vm.staff, reason="投诉查实"),
        lambda: voting_close(meeting=vm.meeting, actor=vm.chair.user),
        lambda: results_sign(meeting=vm.meeting, actor=vm.chair.user),
    ]
    for attempt in attempts:
        with pytest.raises(TransitionNotAllowed) as exc:
            attempt()
        assert exc.value.code == "meeting_signed"
    assert Ballot.objects.filter(candidate=c).count() == 3


def test_candidate_terminate_before_signing_excludes_candidate(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=3, candidates=2)
    c, other = vm.candidates
    _vote(vm, c, 3)
    candidate_terminate(candidate=c, actor=vm.staff, reason="发现申报材料弄虚作假")
    assert fresh_declaration(c).state == State.TERMINATED
    with pytest.raises(TransitionNotAllowed) as exc:
        ballot_cast(candidate=c, actor=vm.members[0].expert.user, choice="agree")
    assert exc.value.code == "candidate_terminated"
    _vote(vm, other, 2)
    _close_and_sign(vm)
    assert CandidateResult.objects.filter(candidate=c).count() == 0
    assert fresh_declaration(c).state == State.TERMINATED
    assert fresh_declaration(other).state == State.PASSED
    event = AuditEvent.objects.get(action="terminate", object_id=str(c.declaration_id))
    assert (event.actor, event.reason) == (vm.staff, "发现申报材料弄虚作假")


def test_candidate_terminate_refuses_ballots_afterwards(db):
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    candidate_terminate(candidate=c, actor=vm.staff, reason="投诉查实")
    with pytest.raises(TransitionNotAllowed) as exc:
        ballot_cast(candidate=c, actor=vm.members[1].expert.user, choice="agree")
    assert exc.value.code == "candidate_terminated"


def test_candidate_terminate_in_scheduled_meeting(db):
    vm = voting_meeting_make(attending=3, state=MeetingState.SCHEDULED)
    candidate_terminate(candidate=vm.candidates[0], actor=vm.staff, reason="投诉查实")
    assert Termination.objects.get(candidate=vm.candidates[0]).reason == "投诉查实"


def test_candidate_terminate_needs_reason_and_staff(db):
    vm = voting_meeting_make(attending=3)
    with pytest.raises(ServiceError) as exc:
        candidate_terminate(candidate=vm.candidates[0], actor=vm.staff, reason="  ")
    assert exc.value.code == "reason_required"
    with pytest.raises(PermissionRefused) as exc:
        candidate_terminate(candidate=vm.candidates[0], actor=vm.chair.user, reason="投诉查实")
    assert exc.value.code == "not_committee_staff"
    assert fresh_declaration(vm.candidates[0]).state == State.ACCEPTED


def test_results_sign_paper_meeting_needs_every_tally(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vm = voting_meeting_make(attending=9, candidates=2, mode=VotingMode.PAPER)
    a, b = vm.candidates
    tally_enter(candidate=a, actor=vm.staff, agree=6, disagree=2, abstain=1)
    voting_close(meeting=vm.meeting, actor=vm.chair.user)
    with pytest.raises(ServiceError) as exc:
        results_sign(meeting=vm.meeting, actor=vm.chair.user)
    assert exc.value.code == "tally_missing"
    tally_enter(candidate=b, actor=vm.staff, agree=5, disagree=4, abstain=0)
    results_sign(meeting=vm.meeting, actor=vm.chair.user)
    assert (fresh_declaration(a).state, fresh_declaration(b).state) == (State.PASSED, State.FAILED)
