"""Paper tallies entered by committee staff (R7.3)."""

from __future__ import annotations

import pytest

from committees.ballots import candidate_counts, tally_enter
from committees.enums import MeetingState, VotingMode
from committees.models import PaperTally
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from tests.committees.ballot_factories import recuse, voting_meeting_make


def test_tally_enter_records_counts(db):
    vm = voting_meeting_make(attending=9, absent=2, mode=VotingMode.PAPER)
    c = vm.candidates[0]
    tally_enter(candidate=c, actor=vm.staff, agree=6, disagree=2, abstain=1)
    counts = candidate_counts(c, vm.meeting)
    assert (counts.eligible, counts.agree, counts.disagree, counts.abstain, counts.passed) == (
        9, 6, 2, 1, True,
    )


def test_tally_enter_again_replaces(db):
    vm = voting_meeting_make(attending=3, mode=VotingMode.PAPER)
    c = vm.candidates[0]
    tally_enter(candidate=c, actor=vm.staff, agree=1, disagree=1, abstain=1)
    tally_enter(candidate=c, actor=vm.staff, agree=2, disagree=1, abstain=0)
    assert PaperTally.objects.filter(candidate=c).values_list("agree", "disagree", "abstain")[0] == (2, 1, 0)


def test_tally_enter_over_attendance_refused(db):
    vm = voting_meeting_make(attending=9, absent=3, mode=VotingMode.PAPER)
    with pytest.raises(ServiceError) as exc:
        tally_enter(candidate=vm.candidates[0], actor=vm.staff, agree=8, disagree=2, abstain=0)
    assert exc.value.code == "tally_exceeds_eligible"
    assert PaperTally.objects.count() == 0


def test_tally_enter_over_eligible_after_recusal_refused(db):
    vm = voting_meeting_make(attending=9, mode=VotingMode.PAPER)
    c = vm.candidates[0]
    recuse(c, vm.members[8])
    with pytest.raises(ServiceError) as exc:
        tally_enter(candidate=c, actor=vm.staff, agree=9, disagree=0, abstain=0)
    assert exc.value.code == "tally_exceeds_eligible"
    tally_enter(candidate=c, actor=vm.staff, agree=8, disagree=0, abstain=0)
    assert candidate_counts(c, vm.meeting).eligible == 8


def test_tally_enter_negative_refused(db):
    vm = voting_meeting_make(attending=3, mode=VotingMode.PAPER)
    with pytest.raises(ServiceError) as exc:
        tally_enter(candidate=vm.candidates[0], actor=vm.staff, agree=-1, disagree=0, abstain=0)
    assert exc.value.code == "tally_negative"


def test_tally_enter_by_non_staff_refused(db):
    vm = voting_meeting_make(attending=3, mode=VotingMode.PAPER)
    with pytest.raises(PermissionRefused) as exc:
        tally_enter(candidate=vm.candidates[0], actor=vm.chair.user, agree=1, disagree=0, abstain=0)
    assert exc.value.code == "not_committee_staff"


def test_tally_enter_electronic_meeting_refused(db):
    vm = voting_meeting_make(attending=3)
    with pytest.raises(TransitionNotAllowed) as exc:
        tally_enter(candidate=vm.candidates[0], actor=vm.staff, agree=1, disagree=0, abstain=0)
    assert exc.value.code == "electronic_meeting"


def test_tally_enter_before_voting_refused(db):
    vm = voting_meeting_make(attending=3, mode=VotingMode.PAPER, state=MeetingState.SCHEDULED)
    with pytest.raises(TransitionNotAllowed) as exc:
        tally_enter(candidate=vm.candidates[0], actor=vm.staff, agree=1, disagree=0, abstain=0)
    assert exc.value.code == "voting_not_open"
