"""The electronic secret ballot (R7.3): who may vote, once, and unlinkability."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.db.models import ForeignKey, OneToOneField

from committees.ballots import ballot_cast, candidate_counts
from committees.enums import MeetingState, VotingMode
from committees.models import Ballot, Expert, MeetingCandidate, MeetingMember, VoteReceipt
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from tests.committees.ballot_factories import recuse, voting_meeting_make
from tests.factories import UserFactory


def test_ballot_cast_counts_once(db):
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    ballot_cast(candidate=c, actor=vm.members[0].expert.user, choice="agree")
    ballot_cast(candidate=c, actor=vm.members[1].expert.user, choice="disagree")
    ballot_cast(candidate=c, actor=vm.members[2].expert.user, choice="abstain")
    counts = candidate_counts(c, vm.meeting)
    assert (counts.eligible, counts.agree, counts.disagree, counts.abstain) == (3, 1, 1, 1)
    assert VoteReceipt.objects.filter(candidate=c).count() == 3


def test_ballot_cast_second_time_refused(db):
    vm = voting_meeting_make(attending=3)
    c = vm.candidates[0]
    user = vm.members[1].expert.user
    ballot_cast(candidate=c, actor=user, choice="agree")
    with pytest.raises(TransitionNotAllowed) as exc:
        ballot_cast(candidate=c, actor=user, choice="disagree")
    assert exc.value.code == "already_voted"
    assert Ballot.objects.filter(candidate=c).count() == 1


def test_ballot_cast_absent_refused(db):
    vm = voting_meeting_make(attending=3, absent=1)
    with pytest.raises(PermissionRefused) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=vm.absent[0].expert.user, choice="agree")
    assert exc.value.code == "absent"
    assert Ballot.objects.count() == 0


def test_ballot_cast_by_non_expert_refused(db):
    vm = voting_meeting_make(attending=3)
    for actor, code in ((vm.staff, "not_expert"), (UserFactory(), "not_expert")):
        with pytest.raises(PermissionRefused) as exc:
            ballot_cast(candidate=vm.candidates[0], actor=actor, choice="agree")
        assert exc.value.code == code


def test_ballot_cast_by_expert_of_another_meeting_refused(db):
    vm = voting_meeting_make(attending=3)
    other = voting_meeting_make(attending=3)
    with pytest.raises(PermissionRefused) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=other.members[1].expert.user, choice="agree")
    assert exc.value.code == "not_member"


def test_ballot_cast_recused_refused(db):
    vm = voting_meeting_make(attending=3, candidates=2)
    recuse(vm.candidates[0], vm.members[2])
    with pytest.raises(PermissionRefused) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=vm.members[2].expert.user, choice="agree")
    assert exc.value.code == "recused"
    # The recusal is per candidate: the same expert votes on the other one.
    ballot_cast(candidate=vm.candidates[1], actor=vm.members[2].expert.user, choice="agree")
    assert candidate_counts(vm.candidates[0], vm.meeting).eligible == 2
    assert candidate_counts(vm.candidates[1], vm.meeting).eligible == 3


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (MeetingState.SCHEDULED, "voting_not_open"),
        (MeetingState.VOTING_CLOSED, "voting_not_open"),
        (MeetingState.SIGNED, "meeting_signed"),
    ],
)
def test_ballot_cast_outside_voting_refused(db, state, code):
    vm = voting_meeting_make(attending=3, state=state)
    with pytest.raises(TransitionNotAllowed) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=vm.members[1].expert.user, choice="agree")
    assert exc.value.code == code


def test_ballot_cast_paper_meeting_refused(db):
    vm = voting_meeting_make(attending=3, mode=VotingMode.PAPER)
    with pytest.raises(TransitionNotAllowed) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=vm.members[1].expert.user, choice="agree")
    assert exc.value.code == "paper_meeting"


def test_ballot_cast_invalid_choice_refused(db):
    vm = voting_meeting_make(attending=3)
    with pytest.raises(ServiceError) as exc:
        ballot_cast(candidate=vm.candidates[0], actor=vm.members[1].expert.user, choice="yes")
    assert exc.value.code == "choice_invalid"


def test_ballot_fields_have_no_link_to_voter(db):
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert sorted(fields) == ["candidate", "choice", "id"]
    relations = [f for f in fields.values() if isinstance(f, ForeignKey | OneToOneField)]
    assert [f.related_model for f in relations] == [MeetingCandidate]
    assert [f.name for f in Ballot._meta.fields if f.get_internal_type().startswith(("Date", "Time"))] == []
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert Ballot._meta.ordering == ["pk"]


def test_ballot_voter_models_have_no_reverse_relation_to_ballot(db):
    from django.contrib.auth import get_user_model

    for model in (Expert, get_user_model(), MeetingMember, VoteReceipt):
        related = [f.related_model for f in model._meta.get_fields() if f.is_relation]
        assert Ballot not in related
    receipt_relations = [f.related_model for f in VoteReceipt._meta.get_fields() if f.is_relation]
    assert Ballot not in receipt_relations


def test_ballot_not_in_audit_trail_or_admin(db):
    from django.contrib import admin

    vm = voting_meeting_make(attending=3)
    before = AuditEvent.objects.count()
    ballot_cast(candidate=vm.candidates[0], actor=vm.members[0].expert.user, choice="agree")
    assert AuditEvent.objects.count() == before
    assert Ballot not in admin.site._registry
    assert VoteReceipt not in admin.site._registry


@pytest.mark.django_db(transaction=True)
def test_ballot_cast_concurrent_experts_each_counted_once():
    vm = voting_meeting_make(attending=12)
    c = vm.candidates[0]
    users = [m.expert.user for m in vm.members]
    barrier = threading.Barrier(len(users) + 2)
    errors: list[str] = []

    def vote(user, choice):
        try:
            barrier.wait()
            ballot_cast(candidate=c, actor=user, choice=choice)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(getattr(exc, "code", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(u, "agree")) for u in users]
    # One expert also tries to vote twice at the same moment.
    threads += [threading.Thread(target=vote, args=(users[0], "disagree"))]
    threads += [threading.Thread(target=vote, args=(users[1], "disagree"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    connection.close()
    assert sorted(errors) == ["already_voted", "already_voted"]
    assert Ballot.objects.filter(candidate=c).count() == 12
    assert VoteReceipt.objects.filter(candidate=c).count() == 12
