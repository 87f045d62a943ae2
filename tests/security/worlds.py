"""Two parallel worlds for the permission matrix: every role, every kind of object.

A world is one committee host with its committee, approval body, campaign and experts
(a meeting whose candidates passed, were publicised, confirmed and got their documents),
plus the organisations of three routing chains with their administrators and
declarations filed and reviewed through the services. Two worlds share nothing, so a
person of one is outside the scope of every object of the other.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, User
from certificates.models import Certificate, DocumentBatch, ReviewForm
from certificates.services import declaration_documents_issue
from committees.models import (
    Draw,
    DrawEntry,
    MeetingMember,
    ResultsComplaint,
    ResultsPublicity,
    ResultsPublicityEntry,
)
from core.models import Notification
from declarations.achievements import achievement_create
from declarations.content import content_row_add
from declarations.enums import AchievementKind, EvidencePurpose
from declarations.evidence import evidence_upload
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.models import Complaint, PublicityBatch, PublicityEntry
from review.publicity import complaint_file, publicity_batch_publish
from review.services import step_pass
from review.unit_conditions import unit_condition_set
from tests.certificates.document_factories import confirmed_meeting_make
from tests.declarations.material_helpers import PDF, upload
from tests.factories import OrganisationFactory, UserFactory, admin_of, make_eligible

# Every role of the matrix except the two that belong to no world (anonymous, office).
WORLD_ROLES = (
    "applicant",
    "unit_admin",
    "department_admin",
    "district_hr_admin",
    "agency_admin",
    "management_body_admin",
    "committee_staff",
    "expert",
    "chair",
    "approval_admin",
)
ROLES = ("anonymous", *WORLD_ROLES, "office")


@dataclass
class World:
    tag: str
    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)
    # Text that appears only in this world, for "never appears in a list".
    markers: list[str] = field(default_factory=list)


def _fresh_ip() -> str:
    # Complaints are throttled per address in the (shared, persistent) cache.
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def _org(
    name: str, kind: str, level: str = AdminLevel.DISTRICT, district: str = District.JIULONGPO
) -> Organisation:
    return OrganisationFactory(name=name, kind=kind, level=level, district=district)


def world_make(tag: str, *, publicity_at: dt.datetime, issue_seals: Callable[[], object]) -> World:
    """Build one world; ``tag`` (e.g. "甲") prefixes every name in it."""
    cm = confirmed_meeting_make(candidates=1)
    campaign = cm.vm.campaign
    host = campaign.committee_host
    Organisation.objects.filter(pk=host.pk).update(name=f"{tag}评委会组建单位")
    Organisation.objects.filter(pk=campaign.approval_body_id).update(name=f"{tag}核准机构")
    unit = _org(f"{tag}数据科技有限公司", OrgKind.UNIT)
    department = _org(
        f"{tag}经济和信息化委员会", OrgKind.COMPETENT_DEPARTMENT, AdminLevel.CITY, District.CITY
    )
    district_hr = _org(f"{tag}区人力资源和社会保障局", OrgKind.DISTRICT_HR)
    agency = _org(f"{tag}人才交流服务中心", OrgKind.PERSONNEL_AGENCY)
    body = _org(f"{tag}集团驻渝总部", OrgKind.CQ_MANAGEMENT_BODY, AdminLevel.CITY, District.CITY)
    expert_seat = cm.vm.attending[1]
    users = {
        "applicant": UserFactory(real_name=f"{tag}申报人"),
        "unit_admin": admin_of(unit),
        "department_admin": admin_of(department),
        "district_hr_admin": admin_of(district_hr),
        "agency_admin": admin_of(agency),
        "management_body_admin": admin_of(body),
        "committee_staff": cm.staff,
        "expert": expert_seat.expert.user,
        "chair": cm.vm.chair.user,
        "approval_admin": cm.approval_admin,
    }
    w = World(tag=tag, users=users)
    o = w.objects
    o["campaign"] = campaign
    o["meeting"] = cm.meeting
    o["committee"] = cm.meeting.committee
    o["candidate"] = cm.vm.candidates[0]
    o["seat"] = MeetingMember.objects.get(pk=expert_seat.pk)
    o["confirmation"] = cm.notice

    def file(applicant: User, category: str, picks: dict[str, Organisation]) -> Declaration:
        d = declaration_create(
            actor=applicant, campaign=campaign, level="engineer", field="big_data",
            category=category, declaration_type="normal", **picks,
        )
        make_eligible(d)
        return d

    # The applicant's own declaration (R4.1), with material, sent up to the department.
    applicant = users["applicant"]
    mine = file(applicant, "city_public", {"unit": unit, "competent_department": department})
    achievement = achievement_create(
        declaration=mine, actor=applicant, kind=AchievementKind.PATENT,
        title=f"{tag}一种数据清洗方法", obtained_on=dt.date(2023, 6, 1), role="第一发明人",
    )
    evidence = evidence_upload(
        declaration=mine, actor=applicant, purpose=EvidencePurpose.PATENT_CERTIFICATE,
        uploaded_file=upload("专利证书.pdf", PDF), achievement=achievement,
    )
    education = content_row_add(
        declaration=mine, actor=applicant, section="education", level=3,
        school=f"{tag}大学", major="计算机科学与技术", graduated_on=dt.date(2010, 7, 1), full_time=True,
    )
    work = content_row_add(
        declaration=mine, actor=applicant, section="work", started_on=dt.date(2010, 8, 1),
        employer=unit.name, post="工程师",
    )
    mine = declaration_submit(declaration=mine, actor=applicant, integrity_accepted=True)
    batch = publicity_batch_publish(
        actor=users["unit_admin"], declarations=[mine], offline_location="本单位公告栏", now=publicity_at
    )
    entry = PublicityEntry.objects.get(batch=batch, declaration=mine)
    complaint = complaint_file(
        entry=entry, text=f"{tag}投诉：业绩材料存疑", ip_address=_fresh_ip(),
        now=publicity_at + dt.timedelta(hours=1),
    )
    o.update(declaration=mine, achievement=achievement, evidence=evidence, education=education,
             work=work, batch=batch, publicity_entry=entry, complaint=complaint)

    # R4.5 at the agency, R4.6 at the management body (other applicants of the world).
    freelancer_applicant = UserFactory(real_name=f"{tag}自由职业者")
    fl = file(freelancer_applicant, "freelancer", {"personnel_agency": agency, "district_hr": district_hr})
    fl = declaration_submit(declaration=fl, actor=freelancer_applicant, integrity_accepted=True)
    fl = step_pass(declaration=fl, actor=users["agency_admin"])
    o["freelancer"] = fl  # now at the district HR office
    o["condition"] = unit_condition_set(
        actor=users["unit_admin"], unit=unit, campaign=campaign, level="engineer", min_achievements=1,
        note=f"{tag}本单位条件",
    )

    # The confirmed candidate is the applicant's too: their certificate and review form.
    passed = Declaration.objects.get(pk=cm.vm.candidates[0].declaration_id)
    Declaration.objects.filter(pk=passed.pk).update(applicant=applicant)
    o["passed"] = passed
    issue_seals()  # the seal keys of this world's committee and approval body
    outcome = declaration_documents_issue(declaration=passed, actor=cm.staff)
    o["certificate"] = Certificate.objects.get(pk=outcome.certificate.pk)
    o["review_form"] = ReviewForm.objects.get(pk=outcome.review_form.pk)
    o["document_batch"] = DocumentBatch.objects.create(
        meeting=cm.meeting, started_by=cm.staff, started_at=timezone.now(), total=0
    )
    publicity = ResultsPublicity.objects.get(meeting=cm.meeting)
    o["results_publicity"] = publicity
    o["results_complaint"] = ResultsComplaint.objects.create(
        entry=ResultsPublicityEntry.objects.filter(publicity=publicity).first(),
        text=f"{tag}结果投诉", client_ip=_fresh_ip(), filed_at=timezone.now(),
    )

    # A draw whose one entry is the expert's invitation.
    draw = Draw.objects.create(
        meeting=cm.meeting, needed=1, drawn=2, seed_commitment="0" * 64, drawn_by=cm.staff,
        drawn_at=timezone.now(),
    )
    o["draw_entry"] = DrawEntry.objects.create(draw=draw, expert=expert_seat.expert, order=1)
    o["notification"] = Notification.objects.filter(
        recipient=applicant
    ).first() or Notification.objects.create(
        recipient=applicant, kind="test", title=f"{tag}消息", body=f"{tag}消息正文"
    )
    w.markers = [
        # Organisation names are not markers: the directory is public by design (R3.4).
        f"{tag}申报人", f"{tag}自由职业者",
        f"{tag}投诉", f"{tag}一种数据清洗方法", f"{tag}大学", f"{tag}本单位条件",
        applicant.id_number, freelancer_applicant.id_number,
    ]
    return w


__all__ = ["ROLES", "WORLD_ROLES", "World", "world_make", "Complaint", "PublicityBatch"]
