"""R7.2: at least 2/3 of the members attend, attending × 3 ≥ members × 2, in integers."""

from __future__ import annotations

import pytest

from committees.enums import CommitteeRoleKind, MeetingState
from committees.models import Meeting, MeetingMember
from committees.services import (
    meeting_attendance_record,
    meeting_officer_add,
    meeting_open_voting,
    meeting_set_presiding,
)
from committees.workflow import quorum_met
from core.exceptions import ServiceError, TransitionNotAllowed
from core.models import AuditEvent
from tests.committees.factories import accepted_declaration, expert_add, meeting_make, setup_make


@pytest.mark.parametrize(
    ("attending", "members", "expected"),
    [
        (17, 25, True),
        (16, 25, False),
        (2, 3, True),
        (1, 3, False),
        (7, 10, True),
        (6, 10, False),
        (6, 9, True),
        (5, 9, False),
        (0, 0, False),
        (3, 3, True),
    ],
)
def test_quorum_met_boundaries(attending: int, members: int, expected: bool) -> None:
    assert quorum_met(attending, members) == expected


def _meeting_with_members(db, members: int):  # type: ignore[no-untyped-def]
    """A scheduled meeting with a chair seated as presiding plus ``members - 1`` members."""
    s = setup_make()
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    chair = expert_add(s.committee, role=CommitteeRoleKind.CHAIR)
    meeting_officer_add(meeting=meeting, expert=chair, actor=s.staff)
    for _ in range(members - 1):
        MeetingMember.objects.create(meeting=meeting, expert=expert_add(s.committee))
    meeting = meeting_set_presiding(meeting=meeting, expert=chair, actor=s.staff)
    seats = list(MeetingMember.objects.filter(meeting=meeting).order_by("role", "pk"))
    return s, meeting, seats


@pytest.mark.parametrize(("attending", "opens"), [(17, True), (16, False)])
def test_open_voting_25_members_needs_17(db, attending: int, opens: bool) -> None:
    s, meeting, seats = _meeting_with_members(db, 25)
    assert seats[0].expert_id == meeting.presiding_id
    meeting_attendance_record(meeting=meeting, present=[m.pk for m in seats[:attending]], actor=s.staff)
    if opens:
        meeting = meeting_open_voting(meeting=meeting, actor=s.staff)
        assert meeting.state == MeetingState.VOTING_OPEN
        event = AuditEvent.objects.get(action="meeting_open_voting")
        assert event.data["attending"] == 17
        assert event.data["members"] == 25
    else:
        with pytest.raises(ServiceError) as exc:
            meeting_open_voting(meeting=meeting, actor=s.staff)
        assert exc.value.code == "quorum_not_met"
        assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED


def test_open_voting_presiding_absent_refused(db) -> None:
    s, meeting, seats = _meeting_with_members(db, 3)
    meeting_attendance_record(meeting=meeting, present=[m.pk for m in seats[1:]], actor=s.staff)
    with pytest.raises(ServiceError) as exc:
        meeting_open_voting(meeting=meeting, actor=s.staff)
    assert exc.value.code == "presiding_absent"


def test_open_voting_without_presiding_refused(db) -> None:
    s = setup_make()
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    member = MeetingMember.objects.create(meeting=meeting, expert=expert_add(s.committee), attending=True)
    assert member.attending is True
    with pytest.raises(ServiceError) as exc:
        meeting_open_voting(meeting=meeting, actor=s.staff)
    assert exc.value.code == "presiding_missing"


def test_open_voting_twice_refused(db) -> None:
    s, meeting, seats = _meeting_with_members(db, 3)
    meeting_attendance_record(meeting=meeting, present=[m.pk for m in seats], actor=s.staff)
    meeting_open_voting(meeting=meeting, actor=s.staff)
    with pytest.raises(TransitionNotAllowed):
        meeting_open_voting(meeting=meeting, actor=s.staff)


def test_presiding_must_be_chair_or_vice_chair(db) -> None:
    s, meeting, seats = _meeting_with_members(db, 3)
    with pytest.raises(ServiceError) as exc:
        meeting_set_presiding(meeting=meeting, expert=seats[1].expert, actor=s.staff)
    assert exc.value.code == "presiding_not_officer"


def test_attendance_fixed_after_voting_opens(db) -> None:
    s, meeting, seats = _meeting_with_members(db, 3)
    meeting_attendance_record(meeting=meeting, present=[m.pk for m in seats], actor=s.staff)
    meeting_open_voting(meeting=meeting, actor=s.staff)
    with pytest.raises(TransitionNotAllowed):
        meeting_attendance_record(meeting=meeting, present=[], actor=s.staff)
