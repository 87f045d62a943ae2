"""Meetings: scheduling, candidates, officers, attendance and signing in (R7.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from committees.enums import CommitteeRoleKind
from committees.models import MeetingCandidate, MeetingMember, Recusal
from committees.services import (
    meeting_attendance_record,
    meeting_candidate_add,
    meeting_officer_add,
    meeting_schedule,
    member_sign_in,
)
from core.exceptions import PermissionRefused, ServiceError
from core.models import AuditEvent
from declarations.enums import Level
from tests.committees.factories import accepted_declaration, expert_add, meeting_make, setup_make
from tests.factories import CampaignFactory, DeclarationFactory, OrganisationFactory, admin_of


def test_meeting_schedule_by_host_staff(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    assert meeting.state == "scheduled"
    assert AuditEvent.objects.filter(action="meeting_schedule").count() == 1


def test_meeting_schedule_other_organisation_refused(db) -> None:
    s = setup_make()
    other = admin_of(OrganisationFactory(kind="committee_host"))
    with pytest.raises(PermissionRefused):
        meeting_schedule(
            committee=s.committee,
            campaign=s.campaign,
            scheduled_at=timezone.now(),
            location="会议室",
            actor=other,
        )


def test_meeting_schedule_campaign_of_other_host_refused(db) -> None:
    s = setup_make()
    with pytest.raises(ServiceError) as exc:
        meeting_schedule(
            committee=s.committee,
            campaign=CampaignFactory(),
            scheduled_at=timezone.now(),
            location="会议室",
            actor=s.staff,
        )
    assert exc.value.code == "campaign_not_hosted"


def test_candidate_add_requires_accepted(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    draft = DeclarationFactory(campaign=s.campaign)
    with pytest.raises(ServiceError) as exc:
        meeting_candidate_add(meeting=meeting, declaration=draft, actor=s.staff)
    assert exc.value.code == "declaration_not_accepted"


def test_candidate_add_other_campaign_refused(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    other = accepted_declaration(CampaignFactory(committee_host=s.host))
    with pytest.raises(ServiceError) as exc:
        meeting_candidate_add(meeting=meeting, declaration=other, actor=s.staff)
    assert exc.value.code == "wrong_campaign"


def test_candidate_on_one_meeting_only(db) -> None:
    s = setup_make()
    d = accepted_declaration(s.campaign)
    meeting_make(s, declarations=[d])
    second = meeting_make(s)
    with pytest.raises(ServiceError) as exc:
        meeting_candidate_add(meeting=second, declaration=d, actor=s.staff)
    assert exc.value.code == "already_on_meeting"
    assert MeetingCandidate.objects.filter(declaration=d).count() == 1


def test_candidate_outside_scope_refused(db) -> None:
    s = setup_make()
    s.committee.levels = [Level.SENIOR_ENGINEER]
    s.committee.save()
    meeting = meeting_make(s)
    with pytest.raises(ServiceError) as exc:
        meeting_candidate_add(meeting=meeting, declaration=accepted_declaration(s.campaign), actor=s.staff)
    assert exc.value.code == "outside_scope"


def test_officer_add_conflicted_chair_recuses(db) -> None:
    s = setup_make()
    unit = OrganisationFactory()
    chair = expert_add(s.committee, role=CommitteeRoleKind.CHAIR, employer=unit)
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign, unit=unit)])
    member = meeting_officer_add(meeting=meeting, expert=chair, actor=s.staff)
    assert member.role == CommitteeRoleKind.CHAIR
    assert list(Recusal.objects.values_list("expert_id", "reason")) == [(chair.pk, "applicant_unit")]


def test_officer_add_plain_member_refused(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    with pytest.raises(ServiceError) as exc:
        meeting_officer_add(meeting=meeting, expert=expert_add(s.committee), actor=s.staff)
    assert exc.value.code == "not_an_officer"


def test_attendance_record_marks_present_and_absent(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    a, b = (MeetingMember.objects.create(meeting=meeting, expert=expert_add(s.committee)) for _ in range(2))
    meeting_attendance_record(meeting=meeting, present=[a.pk], actor=s.staff)
    assert dict(MeetingMember.objects.values_list("pk", "attending")) == {a.pk: True, b.pk: False}
    meeting_attendance_record(meeting=meeting, present=[b.pk], actor=s.staff)
    assert dict(MeetingMember.objects.values_list("pk", "attending")) == {a.pk: False, b.pk: True}


def test_attendance_unknown_member_refused(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    with pytest.raises(ServiceError) as exc:
        meeting_attendance_record(meeting=meeting, present=[999999], actor=s.staff)
    assert exc.value.code == "not_a_member"


def test_sign_in_on_meeting_day(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    expert = expert_add(s.committee, login=True)
    seat = MeetingMember.objects.create(meeting=meeting, expert=expert)
    member_sign_in(member=seat, actor=expert.user, now=meeting.scheduled_at)
    seat = MeetingMember.objects.get(pk=seat.pk)
    assert (seat.attending, seat.signed_in_at) == (True, meeting.scheduled_at)


def test_sign_in_other_day_refused(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    expert = expert_add(s.committee, login=True)
    seat = MeetingMember.objects.create(meeting=meeting, expert=expert)
    with pytest.raises(ServiceError) as exc:
        member_sign_in(member=seat, actor=expert.user, now=meeting.scheduled_at - dt.timedelta(days=2))
    assert exc.value.code == "not_meeting_day"


def test_sign_in_for_someone_else_refused(db) -> None:
    s = setup_make()
    meeting = meeting_make(s)
    seat = MeetingMember.objects.create(meeting=meeting, expert=expert_add(s.committee, login=True))
    with pytest.raises(PermissionRefused):
        member_sign_in(member=seat, actor=s.staff, now=meeting.scheduled_at)
