"""Part A's factories: a committee with its host's staff, experts and accepted declarations.

Rows are written directly (no audit rows) as data a test starts from; the meeting itself
is scheduled through the service so that tests start from what the staff would do.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, User
from committees.enums import CommitteeRoleKind
from committees.models import Committee, CommitteeRole, Expert, Meeting
from committees.services import meeting_candidate_add, meeting_schedule
from declarations.enums import Field, State
from declarations.models import Campaign, Declaration
from review.enums import Slot
from review.models import RouteStep
from tests.factories import CampaignFactory, DeclarationFactory, OrganisationFactory, UserFactory, admin_of

_n = itertools.count(1)


@dataclass
class Setup:
    host: Organisation
    staff: User
    campaign: Campaign
    committee: Committee


def setup_make() -> Setup:
    """A committee host with one administrator, its campaign and its committee."""
    host = OrganisationFactory(kind=OrgKind.COMMITTEE_HOST, level=AdminLevel.CITY, district=District.CITY)
    campaign = CampaignFactory(committee_host=host)
    committee = Committee.objects.create(
        name=f"数字技术评委会{next(_n)}",
        host=host,
        approval_body=campaign.approval_body,
        draw_method="随机抽取，超员配置",
    )
    return Setup(host, admin_of(host), campaign, committee)


def expert_add(
    committee: Committee,
    *,
    role: str = CommitteeRoleKind.MEMBER,
    field: str = Field.BIG_DATA,
    employer: Organisation | None = None,
    user: User | None = None,
    login: bool = False,
    **kwargs: object,
) -> Expert:
    """An expert of the pool holding ``role`` on ``committee``."""
    i = next(_n)
    expert = Expert.objects.create(
        user=user or (UserFactory() if login else None),
        name=kwargs.pop("name", f"专家{i}"),
        field=field,
        title="正高级工程师",
        employer=employer,
        employer_name=employer.name if employer else f"专家单位{i}",
        term_start=kwargs.pop("term_start", dt.date(2020, 1, 1)),
        **kwargs,
    )
    CommitteeRole.objects.create(committee=committee, expert=expert, role=role)
    return expert


def accepted_declaration(
    campaign: Campaign,
    *,
    unit: Organisation | None = None,
    route: list[Organisation] | None = None,
    **kwargs: object,
) -> Declaration:
    """An accepted declaration of ``campaign`` whose route passed ``unit`` then ``route``."""
    unit = unit or OrganisationFactory(kind=OrgKind.UNIT)
    d = DeclarationFactory(campaign=campaign, unit=unit, state=State.ACCEPTED, **kwargs)
    orgs = [unit, *(route or [])]
    for position, org in enumerate(orgs, 1):
        slot = Slot.UNIT if position == 1 else Slot.COMPETENT_DEPARTMENT
        RouteStep.objects.create(declaration=d, position=position, slot=slot, organisation=org)
    return d


def meeting_make(
    s: Setup, *, declarations: list[Declaration] = (), when: dt.datetime | None = None
) -> Meeting:  # type: ignore[assignment]
    """A meeting scheduled by the staff, with ``declarations`` on it."""
    meeting = meeting_schedule(
        committee=s.committee,
        campaign=s.campaign,
        scheduled_at=when or timezone.now(),
        location="第一会议室",
        actor=s.staff,
    )
    for d in declarations:
        meeting_candidate_add(meeting=meeting, declaration=d, actor=s.staff)
    return Meeting.objects.get(pk=meeting.pk)
