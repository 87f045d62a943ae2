"""Demo-like data for the dashboards, statistics and exports, built from the factories.

Rows a service would write are written directly where the service's own path is tested
elsewhere (a publicity batch, a confirmation notice, a certificate): the reports only read.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, User
from certificates.models import Certificate
from committees.enums import CommitteeRoleKind, ConfirmationKind, MeetingState
from committees.models import Committee, ConfirmationNotice, Meeting, MeetingMember
from declarations.enums import Field, Level, State
from declarations.models import Campaign, Declaration
from review.enums import PublicityStatus
from review.models import PublicityBatch, PublicityEntry
from tests.factories import DeclarationFactory, OrganisationFactory

_n = itertools.count(1)
LEVELS = [Level.ENGINEER, Level.SENIOR_ENGINEER, Level.ASSISTANT_ENGINEER]
FIELDS = [Field.BIG_DATA, Field.ARTIFICIAL_INTELLIGENCE, Field.BLOCKCHAIN]


def unit_make(district: str = District.JIULONGPO) -> Organisation:
    return OrganisationFactory(kind=OrgKind.UNIT, district=district)


def declarations_make(
    campaign: Campaign,
    n: int,
    *,
    state: str,
    unit: Organisation | None = None,
    current: Organisation | None = None,
    **kwargs: object,
) -> list[Declaration]:
    """``n`` declarations of ``campaign`` in ``state``, spread over levels and fields."""
    unit = unit or unit_make()
    defaults: dict[str, object] = {"submitted_at": timezone.now(), "state_changed_at": timezone.now()}
    if state in (
        State.COMMITTEE_CHECK,
        State.ACCEPTED,
        State.PASSED,
        State.FAILED,
        State.CONFIRMED,
        State.CERTIFIED,
        State.RESULTS_PUBLICITY,
        State.NOT_ACCEPTED,
    ):
        defaults["committee_submissions"] = 1
    defaults.update(kwargs)
    return [
        DeclarationFactory(
            campaign=campaign,
            unit=unit,
            state=state,
            current_organisation=current,
            **{"level": LEVELS[i % len(LEVELS)], "field": FIELDS[i % len(FIELDS)], **defaults},
        )
        for i in range(n)
    ]


def publicity_batch_make(
    unit: Organisation,
    declarations: list[Declaration],
    *,
    superior: Organisation | None = None,
    publisher: User | None = None,
    running: bool = True,
) -> PublicityBatch:
    now = timezone.now()
    starts = now - dt.timedelta(days=1) if running else now - dt.timedelta(days=20)
    batch = PublicityBatch.objects.create(
        unit=unit,
        title=f"{unit.name}职称申报公示{next(_n)}",
        working_days=5,
        starts_at=starts,
        ends_at=starts + dt.timedelta(days=9),
        unit_contact="023-12345678",
        offline_location="本单位一楼公告栏",
        published_by=publisher,
    )
    superior = superior or OrganisationFactory(kind=OrgKind.COMPETENT_DEPARTMENT)
    for d in declarations:
        PublicityEntry.objects.create(
            batch=batch, declaration=d, superior=superior, status=PublicityStatus.ON_PUBLICITY
        )
    return batch


def signed_meeting_row(committee: Committee, campaign: Campaign, *, days_ago: int = 20) -> Meeting:
    """A signed meeting row (the vote itself is tested in tests/committees)."""
    staff = committee.host.administrators.filter(is_active=True).first()
    return Meeting.objects.create(
        committee=committee,
        campaign=campaign,
        created_by=staff.user if staff else None,
        scheduled_at=timezone.now() - dt.timedelta(days=days_ago),
        location="第一会议室",
        state=MeetingState.SIGNED,
    )


def notice_draft_make(meeting: Meeting, drafter: User, *, due_in_days: int = 2) -> ConfirmationNotice:
    return ConfirmationNotice.objects.create(
        meeting=meeting,
        kind=ConfirmationKind.APPROVAL,
        title=f"关于核准评审结果的通知{next(_n)}",
        drafted_by=drafter,
        drafted_at=timezone.now(),
        due_on=timezone.localdate() + dt.timedelta(days=due_in_days),
    )


def seat_make(meeting: Meeting, expert) -> MeetingMember:  # type: ignore[no-untyped-def]
    return MeetingMember.objects.create(meeting=meeting, expert=expert, role=CommitteeRoleKind.MEMBER)


def certificate_make(declaration: Declaration, committee: Committee, sealer: Organisation) -> Certificate:
    i = next(_n)
    applicant = declaration.applicant
    return Certificate.objects.create(
        declaration=declaration,
        number=f"CQSZ{timezone.localdate().year}{i:06d}",
        token=f"token-{i}-{declaration.pk}",
        holder_name=applicant.real_name,
        holder_id_masked=applicant.masked_id_number,
        field=declaration.field,
        level=declaration.level,
        qualification="工程师",
        committee=committee,
        review_organisation=committee.name,
        sealing_organisation=sealer,
        issuing_organisation_name=sealer.name,
        approval_document_number="渝人社职〔2026〕1号",
        obtained_on=timezone.localdate(),
        issued_on=timezone.localdate(),
        reserved_at=timezone.now(),
    )


def city_org(kind: str) -> Organisation:
    return OrganisationFactory(kind=kind, level=AdminLevel.CITY, district=District.CITY)
