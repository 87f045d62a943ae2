"""Part B's factories: a meeting ready to vote, built directly as data a test starts from.

Kept apart from part A's factories (tests/committees/factories.py, tests/factories) so the
two can grow without editing each other's functions. Rows are written directly (no audit
rows); state fields are set once, at creation, as django-fsm allows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import User
from committees.enums import CommitteeRoleKind, ExclusionReason, MeetingState, VotingMode
from committees.models import (
    Committee,
    CommitteeRole,
    Expert,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    Recusal,
)
from declarations.enums import Field, State
from declarations.models import Campaign, Declaration
from tests.factories import CampaignFactory, DeclarationFactory, OrganisationFactory, UserFactory, admin_of

_n = itertools.count(1)

# Chinese names for experts, so the minutes can be checked for them.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国明华志强秀英丽娟海波红梅伟东晓峰文静"


def expert_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 3) % len(GIVEN)] + GIVEN[(i * 7 + 1) % len(GIVEN)]


def expert_make(*, committee: Committee, role: str = CommitteeRoleKind.MEMBER, name: str = "") -> Expert:
    """An expert of the pool with a login, holding ``role`` on ``committee``."""
    i = next(_n)
    expert = Expert.objects.create(
        user=UserFactory(real_name=name or expert_name(i)),
        name=name or expert_name(i),
        field=Field.BIG_DATA,
        title="正高级工程师",
        employer_name=f"重庆专家单位{i}",
        term_start=dt.date(2020, 1, 1),
    )
    CommitteeRole.objects.create(committee=committee, expert=expert, role=role)
    return expert


@dataclass
class VotingMeeting:
    meeting: Meeting
    staff: User
    chair: Expert
    members: list[MeetingMember]
    candidates: list[MeetingCandidate]
    absent: list[MeetingMember] = field(default_factory=list)

    @property
    def attending(self) -> list[MeetingMember]:
        return [m for m in self.members if m.attending]

    @property
    def campaign(self) -> Campaign:
        return self.meeting.campaign


def voting_meeting_make(
    *,
    attending: int = 9,
    absent: int = 0,
    candidates: int = 1,
    mode: str = VotingMode.ELECTRONIC,
    state: str = MeetingState.VOTING_OPEN,
) -> VotingMeeting:
    """A meeting with ``attending`` present experts (the chair among them), ``absent``
    absent ones, and ``candidates`` accepted declarations, in ``state``."""
    host = OrganisationFactory(
        kind=OrgKind.COMMITTEE_HOST, level=AdminLevel.CITY, district=District.CITY
    )
    staff = admin_of(host)
    campaign = CampaignFactory(committee_host=host)
    committee = Committee.objects.create(
        name=f"测试评委会{next(_n)}", host=host, approval_body=campaign.approval_body
    )
    chair = expert_make(committee=committee, role=CommitteeRoleKind.CHAIR)
    meeting = Meeting.objects.create(
        committee=committee,
        campaign=campaign,
        scheduled_at=timezone.now(),
        location="重庆市人力资源和社会保障局会议室",
        voting_mode=mode,
        presiding=chair,
        state=state,
        created_by=staff,
        voting_opened_at=timezone.now() if state != MeetingState.SCHEDULED else None,
    )
    members = [
        MeetingMember.objects.create(
            meeting=meeting, expert=chair, role=CommitteeRoleKind.CHAIR, attending=True
        )
    ]
    members.extend(
        MeetingMember.objects.create(
            meeting=meeting, expert=expert_make(committee=committee), attending=True
        )
        for _ in range(attending - 1)
    )
    absents = [
        MeetingMember.objects.create(meeting=meeting, expert=expert_make(committee=committee))
        for _ in range(absent)
    ]
    rows = []
    for position in range(1, candidates + 1):
        declaration = DeclarationFactory(
            campaign=campaign,
            applicant=UserFactory(real_name=f"申报人{expert_name(position + 40)}"),
            state=State.ACCEPTED,
        )
        rows.append(
            MeetingCandidate.objects.create(
                meeting=meeting, declaration=declaration, position=position, added_by=staff
            )
        )
    return VotingMeeting(meeting, staff, chair, members + absents, rows, absents)


def recuse(candidate: MeetingCandidate, member: MeetingMember) -> Recusal:
    return Recusal.objects.create(
        candidate=candidate, expert=member.expert, reason=ExclusionReason.DECLARED
    )


def fresh_declaration(candidate: MeetingCandidate) -> Declaration:
    return Declaration.objects.get(pk=candidate.declaration_id)


def fresh_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)
