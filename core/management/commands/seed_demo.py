"""Load demo data for every role and every routing chain (R4.1 to R4.6); safe to rerun.

``make run`` calls this on every start. Every object is looked up by its natural key
(username, organisation kind and name, campaign name, applicant and campaign) and
created only when missing, so a rerun changes nothing, and nothing a person changed
by hand (a password, a contact phone, a submitted declaration) is reset. Two
exceptions keep the demo usable: when the demonstration campaign's filing window has
closed, it is moved so that the window contains today again; and an organisation left
without any title administrator gets its demo administrator back.

Every demo login shares the password ``demo-2026`` (``DEMO_PASSWORD``), set only when
the account is created. The title office's superuser is ``office`` (for /admin/).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from accounts.services import (
    SELF_REGISTERED_KINDS,
    administrator_bind,
    organisation_register,
    user_register,
)
from accounts.validators import id_number_check_digit
from core.exceptions import ServiceError
from core.services import audit_record
from declarations.content import (
    CONTENT_EDITABLE_STATES,
    applicant_status_set,
    content_row_add,
    current_title_set,
)
from declarations.eligibility import FLOATING_CATEGORIES
from declarations.enums import DeclarationType, EducationLevel, Field, Level, State, TitleBasis, TitleSeries
from declarations.models import Campaign, CurrentTitle, Declaration, EligibilityRule
from declarations.selectors import declaration_has_open_for_applicant
from declarations.services import declaration_create, declaration_submit
from declarations.shareddata.dataset import read_rows, shared_data_import, validate_rows
from review.enums import ApplicantCategory, Slot
from review.models import PublicityEntry
from review.publicity import publicity_batch_publish, publicity_release_due

DEMO_PASSWORD = "demo-2026"
OFFICE_USERNAME = "office"
CAMPAIGN_2024_NAME = "2024年度数字技术职称申报评审"
DEMO_CAMPAIGN_NAME = "演示批次（申报窗口开放中）"
# Issue 5 (R7.1, R7.2): the demo committee, its chair and one expert who log in.
DEMO_COMMITTEE_NAME = "重庆市数字技术工程技术人才职称评审委员会"


@dataclass(frozen=True)
class Person:
    """A demo person; the ID number is built from region, birth date and sequence."""

    username: str
    real_name: str
    region: str  # 6-digit administrative division code of Chongqing (500xxx)
    birth: str  # YYYYMMDD
    seq: str  # 3 digits; the last one is odd for men and even for women (GB 11643)
    phone: str

    @property
    def id_number(self) -> str:
        first17 = f"{self.region}{self.birth}{self.seq}"
        return first17 + id_number_check_digit(first17)


@dataclass(frozen=True)
class Org:
    """A demo organisation and the person bound as its title administrator."""

    key: str
    name: str
    kind: OrgKind
    level: AdminLevel
    district: District
    contact_phone: str
    complaint_phone: str
    admin: Person
    role: str  # shown in the login table: "中文 English"
    superior: str | None = None  # key of an organisation listed earlier


@dataclass(frozen=True)
class Applicant:
    """A demo applicant and the draft they hold in the demo campaign (if any)."""

    person: Person
    role: str
    category: ApplicantCategory | None = None
    level: Level | None = None
    field: Field | None = None
    picks: dict[str, str] = dataclasses.field(default_factory=dict)  # slot -> Org.key


# In creation order: each organisation's superior is listed before it.
# fmt: off
ORGS: tuple[Org, ...] = (
    Org(
        "committee_host",
        "重庆市数字技术工程技术人才职称评审委员会（组建单位：重庆市大数据应用发展管理局）",
        OrgKind.COMMITTEE_HOST, AdminLevel.CITY, District.CITY,
        "023-67701275", "023-67701276",
        Person("admin_host", "刘建华", "500112", "19790312", "031", "13983010001"),
        "评委会组建单位 Committee host",
    ),
    Org(
        "approval_body", "重庆市人力资源和社会保障局",
        OrgKind.APPROVAL_BODY, AdminLevel.CITY, District.CITY,
        "023-88150001", "023-88150002",
        Person("admin_approval", "陈思远", "500103", "19810723", "015", "13983010002"),
        "核准机构 Approval body",
    ),
    Org(
        "city_dept", "重庆市经济和信息化委员会",
        OrgKind.COMPETENT_DEPARTMENT, AdminLevel.CITY, District.CITY,
        "023-63890011", "023-63890012",
        Person("admin_city_dept", "王晓东", "500103", "19830415", "037", "13983010003"),
        "市级主管部门 City competent dept",
    ),
    Org(
        "soe", "重庆渝数云联科技集团有限公司",
        OrgKind.UNIT, AdminLevel.CITY, District.LIANGJIANG,
        "023-67886001", "023-67886002",
        Person("admin_soe", "冯雪梅", "500106", "19870221", "042", "13983010004"),
        "市属国企 City SOE (unit)",
        superior="city_dept",
    ),
    Org(
        "jlp_hr", "九龙坡区人力资源和社会保障局",
        OrgKind.DISTRICT_HR, AdminLevel.DISTRICT, District.JIULONGPO,
        "023-68780101", "023-68780102",
        Person("admin_jlp_hr", "孙国强", "500107", "19800126", "053", "13983010005"),
        "区县人社局 District HR office",
        superior="approval_body",
    ),
    Org(
        "jlp_dept", "九龙坡区科学技术局",
        OrgKind.COMPETENT_DEPARTMENT, AdminLevel.DISTRICT, District.JIULONGPO,
        "023-68781201", "023-68781202",
        Person("admin_jlp_dept", "赵丽娟", "500107", "19860908", "064", "13983010006"),
        "区县主管部门 District competent dept",
        superior="jlp_hr",
    ),
    Org(
        "institute", "九龙坡区科技创新服务中心",
        OrgKind.UNIT, AdminLevel.DISTRICT, District.JIULONGPO,
        "023-68782301", "023-68782302",
        Person("admin_institute", "蒋文静", "500107", "19900803", "076", "13983010007"),
        "区属事业单位 District institution (unit)",
        superior="jlp_dept",
    ),
    Org(
        "yb_hr", "渝北区人力资源和社会保障局",
        OrgKind.DISTRICT_HR, AdminLevel.DISTRICT, District.YUBEI,
        "023-67821101", "023-67821102",
        Person("admin_yb_hr", "吴志刚", "500112", "19820930", "087", "13983010008"),
        "区县人社局 District HR office",
        superior="approval_body",
    ),
    Org(
        "yb_agency", "渝北区人才交流服务中心",
        OrgKind.PERSONNEL_AGENCY, AdminLevel.DISTRICT, District.YUBEI,
        "023-67822201", "023-67822202",
        Person("admin_yb_agency", "周敏", "500112", "19890617", "098", "13983010009"),
        "人事代理机构 Personnel agency",
        superior="yb_hr",
    ),
    Org(
        "company", "重庆云启智联科技有限公司",
        OrgKind.UNIT, AdminLevel.DISTRICT, District.YUBEI,
        "023-67823301", "023-67823302",
        Person("admin_company", "唐磊", "500112", "19910110", "111", "13983010010"),
        "非公企业 Private company (unit)",
        superior="yb_hr",
    ),
    Org(
        "cq_hq", "中国远联数字科技集团有限公司重庆总部",
        OrgKind.CQ_MANAGEMENT_BODY, AdminLevel.CITY, District.LIANGJIANG,
        "023-67889001", "023-67889002",
        Person("admin_cq_hq", "郑海涛", "500105", "19780514", "123", "13983010011"),
        "驻渝最高管理机构 CQ management body",
    ),
    Org(
        "branch", "中国远联数字科技集团有限公司重庆分公司",
        OrgKind.UNIT, AdminLevel.DISTRICT, District.LIANGJIANG,
        "023-67889101", "023-67889102",
        Person("admin_branch", "曾晓燕", "500108", "19881225", "134", "13983010012"),
        "市外单位驻渝机构 Out-of-city unit's branch",
        superior="cq_hq",
    ),
)

U, CD, PA, HR, MB = (
    Slot.UNIT, Slot.COMPETENT_DEPARTMENT, Slot.PERSONNEL_AGENCY, Slot.DISTRICT_HR,
    Slot.MANAGEMENT_BODY,
)

# One applicant per routing chain, each with a filled-in draft, plus one with none.
APPLICANTS: tuple[Applicant, ...] = (
    Applicant(
        Person("applicant_city", "李明轩", "500103", "19840518", "211", "13883020001"),
        "申报人 Applicant R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.SENIOR_ENGINEER, Field.BIG_DATA, {U: "soe", CD: "city_dept"},
    ),
    Applicant(
        Person("applicant_district", "张雨桐", "500107", "19920306", "222", "13883020002"),
        "申报人 Applicant R4.2", ApplicantCategory.DISTRICT_PUBLIC,
        Level.ENGINEER, Field.ARTIFICIAL_INTELLIGENCE,
        {U: "institute", CD: "jlp_dept", HR: "jlp_hr"},
    ),
    Applicant(
        Person("applicant_floating", "黄俊杰", "500112", "19900721", "233", "13883020003"),
        "申报人 Applicant R4.3", ApplicantCategory.FLOATING_CQ_ARCHIVE,
        Level.ENGINEER, Field.CLOUD_COMPUTING, {U: "company", PA: "yb_agency", HR: "yb_hr"},
    ),
    Applicant(
        Person("applicant_remote", "杨欣怡", "500112", "19970411", "244", "13883020004"),
        "申报人 Applicant R4.4", ApplicantCategory.FLOATING_REMOTE_ARCHIVE,
        Level.ASSISTANT_ENGINEER, Field.INTERNET_OF_THINGS, {U: "company", HR: "yb_hr"},
    ),
    Applicant(
        Person("applicant_freelancer", "何志远", "500108", "19880929", "255", "13883020005"),
        "申报人 Applicant R4.5", ApplicantCategory.FREELANCER,
        Level.ENGINEER, Field.DATA_SECURITY, {PA: "yb_agency", HR: "yb_hr"},
    ),
    Applicant(
        Person("applicant_branch", "罗佳琪", "500105", "19850114", "266", "13883020006"),
        "申报人 Applicant R4.6", ApplicantCategory.OUT_OF_CITY_UNIT,
        Level.SENIOR_ENGINEER, Field.INDUSTRIAL_INTERNET, {U: "branch", MB: "cq_hq"},
    ),
    Applicant(
        Person("applicant_new", "马文博", "500106", "19950802", "277", "13883020007"),
        "申报人 Applicant (no declaration)",
    ),
)

# One applicant per chain with a unit step (R4.5 freelancers have none) whose declaration
# is submitted and has been through a unit publicity that ended in the past (R6.3): it
# waits at the unit, ready to be sent up.
READY_APPLICANTS: tuple[Applicant, ...] = (
    Applicant(
        Person("ready_city", "陈子涵", "500103", "19860212", "311", "13883030001"),
        "公示期满 Publicised R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.ENGINEER, Field.CLOUD_COMPUTING, {U: "soe", CD: "city_dept"},
    ),
    Applicant(
        Person("ready_district", "刘思雨", "500107", "19930517", "322", "13883030002"),
        "公示期满 Publicised R4.2", ApplicantCategory.DISTRICT_PUBLIC,
        Level.ASSISTANT_ENGINEER, Field.BIG_DATA,
        {U: "institute", CD: "jlp_dept", HR: "jlp_hr"},
    ),
    Applicant(
        Person("ready_floating", "王浩然", "500112", "19890903", "333", "13883030003"),
        "公示期满 Publicised R4.3", ApplicantCategory.FLOATING_CQ_ARCHIVE,
        Level.SENIOR_ENGINEER, Field.ARTIFICIAL_INTELLIGENCE,
        {U: "company", PA: "yb_agency", HR: "yb_hr"},
    ),
    Applicant(
        Person("ready_remote", "赵一鸣", "500112", "19940128", "345", "13883030004"),
        "公示期满 Publicised R4.4", ApplicantCategory.FLOATING_REMOTE_ARCHIVE,
        Level.ENGINEER, Field.BLOCKCHAIN, {U: "company", HR: "yb_hr"},
    ),
    Applicant(
        Person("ready_branch", "孙悦", "500105", "19870619", "356", "13883030005"),
        "公示期满 Publicised R4.6", ApplicantCategory.OUT_OF_CITY_UNIT,
        Level.ENGINEER, Field.INDUSTRIAL_INTERNET, {U: "branch", MB: "cq_hq"},
    ),
)
# After the chain (issues 5 and 6): all on R4.1 (unit → competent department → committee).
_R41 = {U: "soe", CD: "city_dept"}
# Accepted by the committee, waiting for a meeting the host can hold in the browser.
ACCEPTED_APPLICANTS: tuple[Applicant, ...] = (
    Applicant(
        Person("accepted_a", "黄嘉怡", "500103", "19880321", "402", "13883040001"),
        "已受理待上会 Accepted R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.ENGINEER, Field.INTERNET_OF_THINGS, _R41,
    ),
    Applicant(
        Person("accepted_b", "林志远", "500103", "19850611", "413", "13883040002"),
        "已受理待上会 Accepted R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.SENIOR_ENGINEER, Field.BIG_DATA, _R41,
    ),
    Applicant(
        Person("accepted_c", "何静", "500103", "19900909", "424", "13883040003"),
        "已受理待上会 Accepted R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.ENGINEER, Field.CLOUD_COMPUTING, _R41,
    ),
)
# Reviewed at a paper meeting six weeks ago: results publicised and confirmed, documents
# issued (R8); the last one failed.
CERTIFIED_APPLICANTS: tuple[Applicant, ...] = (
    Applicant(
        Person("passed_demo", "李明轩", "500103", "19870405", "435", "13883050001"),
        "已取得证书 Certified R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.ENGINEER, Field.ARTIFICIAL_INTELLIGENCE, _R41,
    ),
    Applicant(
        Person("passed_two", "张雨桐", "500103", "19890714", "446", "13883050002"),
        "已取得证书 Certified R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.SENIOR_ENGINEER, Field.DATA_SECURITY, _R41,
    ),
    Applicant(
        Person("failed_demo", "吴俊杰", "500103", "19860127", "457", "13883050003"),
        "评审未通过 Failed R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.ENGINEER, Field.BLOCKCHAIN, _R41,
    ),
)
# Passed at a meeting signed yesterday: on results publicity now (R8.1).
PUBLICITY_APPLICANTS: tuple[Applicant, ...] = (
    Applicant(
        Person("results_demo", "郭晓峰", "500103", "19840818", "468", "13883060001"),
        "结果公示中 On results publicity R4.1", ApplicantCategory.CITY_PUBLIC,
        Level.ENGINEER, Field.INTELLIGENT_MANUFACTURING, _R41,
    ),
)
# R2.2: conditions per level as commonly summarised from 渝人社发〔2022〕57号, to be verified
# by the office (docs/eligibility.md): (minimum education, years in title, prior level).
DEMO_RULES: tuple[tuple[Level, EducationLevel, int, Level | None], ...] = (
    (Level.TECHNICIAN, EducationLevel.SECONDARY, 0, None),
    (Level.ASSISTANT_ENGINEER, EducationLevel.BACHELOR, 0, None),
    (Level.ASSISTANT_ENGINEER, EducationLevel.JUNIOR_COLLEGE, 2, Level.TECHNICIAN),
    (Level.ENGINEER, EducationLevel.MASTER, 2, Level.ASSISTANT_ENGINEER),
    (Level.ENGINEER, EducationLevel.BACHELOR, 4, Level.ASSISTANT_ENGINEER),
    (Level.SENIOR_ENGINEER, EducationLevel.DOCTOR, 2, Level.ENGINEER),
    (Level.SENIOR_ENGINEER, EducationLevel.BACHELOR, 5, Level.ENGINEER),
    (Level.PROFESSOR_ENGINEER, EducationLevel.BACHELOR, 5, Level.SENIOR_ENGINEER),
)
# The title each demo level is declared from, held long enough for the rules above.
PRIOR_LEVEL: dict[Level, Level | None] = {
    Level.TECHNICIAN: None,
    Level.ASSISTANT_ENGINEER: None,
    Level.ENGINEER: Level.ASSISTANT_ENGINEER,
    Level.SENIOR_ENGINEER: Level.ENGINEER,
    Level.PROFESSOR_ENGINEER: Level.SENIOR_ENGINEER,
}
# How long before today the demo publicity was opened: 5 working days end well before.
READY_PUBLICITY_DAYS_AGO = 21
# fmt: on

# Issue 5: the demo committee's pool (R7.1). The chair and one expert log in; experts
# employed by demo units recuse from those units' candidates.
EXPERT_CHAIR = Person("expert_chair", "周正明", "500103", "19680415", "013", "13983020001")
EXPERT_DEMO = Person("expert_demo", "吴晓梅", "500106", "19750908", "024", "13983020002")


def expert_login(i: int, name: str) -> Person:
    """The login of the i-th demo expert who has no named login above (expert05, ...)."""
    return Person(
        f"expert{i + 1:02d}", name, "500105", f"19{70 + i % 20}0{1 + i % 9}1{i % 10}",
        f"{100 + i:03d}", f"1398303{i:04d}",
    )


# (name, role, employer Org.key or "", Person of the login or None)
DEMO_EXPERTS: tuple[tuple[str, str, str, Person | None], ...] = (
    ("周正明", "chair", "", EXPERT_CHAIR),
    ("郑国强", "vice_chair", "", None),
    ("孙丽华", "vice_chair", "", None),
    ("吴晓梅", "member", "", EXPERT_DEMO),
    ("王建军", "member", "soe", None),
    ("李文静", "member", "company", None),
    ("张海波", "member", "institute", None),
    ("刘志远", "member", "branch", None),
    ("陈红梅", "member", "cq_hq", None),
    ("杨明辉", "member", "", None),
    ("黄晓峰", "member", "", None),
    ("赵雅琴", "member", "", None),
    ("徐立新", "member", "", None),
    ("朱振华", "member", "", None),
    ("胡美玲", "member", "", None),
    ("郭永刚", "member", "", None),
    ("何春燕", "member", "", None),
    ("高德胜", "member", "", None),
    ("林海燕", "member", "", None),
    ("罗卫东", "member", "", None),
    ("梁思成", "member", "", None),
    ("宋佳怡", "member", "", None),
    ("谢天明", "member", "", None),
    ("韩雪梅", "member", "", None),
    ("唐建平", "member", "", None),
    ("冯晓东", "member", "", None),
    ("于晓燕", "member", "", None),
    ("董世杰", "member", "", None),
    ("萧文博", "member", "", None),
    ("程玉兰", "member", "", None),
)


def _local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(settings.TIME_ZONE))  # noqa: DTZ001 - tzinfo given


def demo_campaign_dates(now: dt.datetime | None = None) -> dict[str, Any]:
    """Return a window containing ``now``: from the start of yesterday for 60 days."""
    today = timezone.localdate(now or timezone.now())
    opens = _local(today.year, today.month, today.day) - dt.timedelta(days=1)
    closes = opens + dt.timedelta(days=61, hours=18)  # 18:00 on the 60th day from today
    return {
        "year": today.year,
        "filing_opens_at": opens,
        "filing_closes_at": closes,
        "chain_deadline": closes,
        "work_years_cutoff": dt.date(today.year, 12, 31),
    }


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


class Command(BaseCommand):
    help = "Load demo users, organisations, campaigns and draft declarations (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--without-meetings",
            action="store_true",
            help="Stop at the committee: no accepted declarations, meetings, results or documents.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.created: list[str] = []
        # The demo's own events would print every notification email to the console
        # backend; their inbox rows are enough.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            office = self._office()
            orgs = self._organisations(office)
            campaign_2024 = self._campaign_2024(orgs)
            demo = self._demo_campaign(orgs)
            for campaign in (campaign_2024, demo):
                self._eligibility_rules(campaign)
            self._shared_data()
            for spec in APPLICANTS:
                self._applicant(spec, demo, orgs)
            for spec in READY_APPLICANTS:
                self._ready_applicant(spec, demo, orgs)
            self._committee(orgs)
            if not options["without_meetings"]:
                self._after_the_chain(demo, orgs)
        self._print_logins(orgs, demo)

    # -- shared data (R5.4) ------------------------------------------------------

    def _shared_data(self) -> None:
        """Import the demo reference dataset; one item is deliberately not verifiable."""
        path = Path(settings.BASE_DIR) / "declarations" / "fixtures" / "shared_data_demo.json"
        raw_rows, source = read_rows(path)
        rows, errors = validate_rows(raw_rows)
        if errors:
            raise CommandError(f"{path.name}: invalid rows {errors}")
        result = shared_data_import(rows=rows, source=source or path.name)
        if result.created or result.updated:
            self.created.append(f"shared data {result.created + result.updated} item(s)")

    # -- people -----------------------------------------------------------------

    def _office(self) -> User:
        user = User.objects.filter(username=OFFICE_USERNAME).first()
        if user is None:
            user = User.objects.create_superuser(
                username=OFFICE_USERNAME,
                email="office@zhicheng.example.cn",
                password=DEMO_PASSWORD,
                real_name="职称办系统管理员",
            )
            audit_record(actor=None, obj=user, action="user_create_superuser")
            self.created.append(f"user {user.username}")
        return user

    def _person(self, spec: Person) -> User:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_register(
                username=spec.username,
                password=DEMO_PASSWORD,
                real_name=spec.real_name,
                id_number=spec.id_number,
                phone=spec.phone,
                email=f"{spec.username}@zhicheng.example.cn",
            )
            self.created.append(f"user {user.username}")
        return user

    # -- organisations ------------------------------------------------------------

    def _organisations(self, office: User) -> dict[str, Organisation]:
        orgs: dict[str, Organisation] = {}
        for spec in ORGS:
            orgs[spec.key] = self._organisation(spec, orgs, office)
        return orgs

    def _organisation(self, spec: Org, orgs: dict[str, Organisation], office: User) -> Organisation:
        admin = self._person(spec.admin)
        org = Organisation.objects.filter(kind=spec.kind, name=spec.name).first()
        if org is None:
            fields = {
                "name": spec.name,
                "kind": spec.kind,
                "level": spec.level,
                "district": spec.district,
                "superior": orgs[spec.superior] if spec.superior else None,
                "contact_person": admin.real_name,
                "contact_phone": spec.contact_phone,
                "complaint_phone": spec.complaint_phone,
            }
            if spec.kind in SELF_REGISTERED_KINDS and self._is_free(admin):
                # R3.2: the administrator registers the organisation and is bound to it.
                org = organisation_register(actor=admin, **fields)
            else:
                # Committee hosts and approval bodies are set up by the title office.
                org = Organisation.objects.create(registered_by=office, **fields)
                audit_record(actor=office, obj=org, action="organisation_register")
            self.created.append(f"organisation {org.name}")
        # An organisation nobody administers gets its demo administrator back.
        if not org.administrators.filter(is_active=True).exists() and self._is_free(admin):
            administrator_bind(actor=office, user=admin, organisation=org)
            self.created.append(f"binding {admin.username}")
        return org

    @staticmethod
    def _is_free(user: User) -> bool:
        """Whether the person may be bound as an administrator now (R1.3, R3.2)."""
        return not (
            TitleAdministrator.objects.filter(user=user, is_active=True).exists()
            or declaration_has_open_for_applicant(user)
        )

    # -- campaigns ------------------------------------------------------------------

    def _campaign_2024(self, orgs: dict[str, Organisation]) -> Campaign:
        # R8.3 and R8.5, as published in 渝数字职〔2024〕6号.
        closes = _local(2024, 9, 15, 18, 0)
        campaign, created = Campaign.objects.get_or_create(
            name=CAMPAIGN_2024_NAME,
            defaults={
                "year": 2024,
                "committee_host": orgs["committee_host"],
                "approval_body": orgs["approval_body"],
                "filing_opens_at": _local(2024, 9, 1, 9, 0),
                "filing_closes_at": closes,
                "chain_deadline": closes,
                "work_years_cutoff": dt.date(2024, 12, 31),
                "fee_senior": Decimal("420"),
                "fee_intermediate": Decimal("240"),
                "fee_junior": Decimal("120"),
            },
        )
        if created:
            self.created.append(f"campaign {campaign.name}")
        return campaign

    def _demo_campaign(self, orgs: dict[str, Organisation]) -> Campaign:
        now = timezone.now()
        campaign = Campaign.objects.filter(name=DEMO_CAMPAIGN_NAME).first()
        if campaign is None:
            campaign = Campaign.objects.create(
                name=DEMO_CAMPAIGN_NAME,
                committee_host=orgs["committee_host"],
                approval_body=orgs["approval_body"],
                fee_senior=Decimal("420"),
                fee_intermediate=Decimal("240"),
                fee_junior=Decimal("120"),
                **demo_campaign_dates(now),
            )
            self.created.append(f"campaign {campaign.name}")
        elif not campaign.filing_opens_at <= now < campaign.filing_closes_at:
            # Keep the dates stable while the window is open; reopen it once it closed.
            dates = demo_campaign_dates(now)
            for name, value in dates.items():
                setattr(campaign, name, value)
            campaign.save(update_fields=list(dates))
            self.created.append(f"campaign dates {campaign.name}")
        return campaign

    # -- applicants -------------------------------------------------------------------

    def _applicant(self, spec: Applicant, demo: Campaign, orgs: dict[str, Organisation]) -> None:
        user = self._person(spec.person)
        if spec.category is None:
            return
        existing = Declaration.objects.filter(applicant=user, campaign=demo).first()
        if existing is not None:
            self._content(existing)
            return
        if TitleAdministrator.objects.filter(user=user, is_active=True).exists():
            return  # R1.3: bound since the last run, so this person may not declare.
        declaration = declaration_create(
            actor=user,
            campaign=demo,
            level=spec.level,
            field=spec.field,
            declaration_type=DeclarationType.NORMAL,
            category=spec.category,
            **{slot: orgs[key] for slot, key in spec.picks.items()},
        )
        self.created.append(f"draft {user.username}")
        self._content(declaration)

    def _ready_applicant(
        self,
        spec: Applicant,
        demo: Campaign,
        orgs: dict[str, Organisation],
        opened_days_ago: int = READY_PUBLICITY_DAYS_AGO,
    ) -> Declaration | None:
        """Submit, publicise in the past and release one declaration waiting at its unit (R6.3).

        Created through the services, the publicity opened ``READY_PUBLICITY_DAYS_AGO``
        days ago; it is skipped (left waiting at the unit, unpublicised) when the
        working-day calendar cannot count that period.
        """
        user = self._person(spec.person)
        if Declaration.objects.filter(applicant=user, campaign=demo).exists():
            return None
        if TitleAdministrator.objects.filter(user=user, is_active=True).exists():
            return None
        declaration = declaration_create(
            actor=user,
            campaign=demo,
            level=spec.level,
            field=spec.field,
            declaration_type=DeclarationType.NORMAL,
            category=spec.category,
            **{slot: orgs[key] for slot, key in spec.picks.items()},
        )
        self._content(declaration)
        declaration = declaration_submit(declaration=declaration, actor=user, integrity_accepted=True)
        self.created.append(f"submitted {user.username}")
        unit = orgs[spec.picks[U]]
        admin = TitleAdministrator.objects.filter(organisation=unit, is_active=True).first()
        if admin is None or PublicityEntry.objects.filter(declaration=declaration).exists():
            return declaration
        now = timezone.now()
        opened = timezone.localtime(now - dt.timedelta(days=opened_days_ago)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        try:
            with transaction.atomic():
                publicity_batch_publish(
                    actor=admin.user,
                    declarations=[declaration],
                    offline_location=f"{unit.name}办公楼一楼公告栏",
                    now=opened,
                )
                publicity_release_due(now=now)
        except ServiceError as exc:  # e.g. the calendar of a year not entered yet (R9.1)
            self.stderr.write(f"publicity of {user.username} skipped: {exc.message}")
            return declaration
        self.created.append(f"publicity {user.username}")
        return declaration

    # -- after the chain: meetings, results, confirmation, documents (issues 5, 6) ----

    def _after_the_chain(self, demo: Campaign, orgs: dict[str, Organisation]) -> None:
        """Accepted declarations, a confirmed meeting with documents, a publicity now."""
        from committees.models import Committee
        from committees.outcomes_demo import demo_outcomes
        from core.management.commands import _demo_results as r

        committee = Committee.objects.get(name=DEMO_COMMITTEE_NAME)
        host_admin = r._admin_of(orgs["committee_host"])
        approval_admin = r._admin_of(orgs["approval_body"])
        if host_admin is None or approval_admin is None:
            self.stderr.write("committee host or approval body has no administrator: meetings skipped")
            return

        def log(text: str) -> None:
            self.created.append(text)

        for spec in ACCEPTED_APPLICANTS:
            d = self._ready_applicant(spec, demo, orgs)
            if d is not None:
                r.advance_to_accepted(d, host_admin, log)
        groups = (
            (CERTIFIED_APPLICANTS, 70, 42, True),  # publicity opened, meeting held (days ago), confirm
            (PUBLICITY_APPLICANTS, 40, 1, False),
        )
        for specs, opened_days_ago, held_days_ago, confirm in groups:
            made = [self._ready_applicant(spec, demo, orgs, opened_days_ago) for spec in specs]
            fresh = [d for d in made if d is not None]
            if not fresh:
                continue  # made by an earlier run: the meeting exists already
            at = r.days_ago_at(held_days_ago + 9, 10)
            accepted = [r.advance_to_accepted(d, host_admin, log, at) for d in fresh]
            accepted = [d for d in accepted if d.state == State.ACCEPTED]
            if len(accepted) != len(fresh):
                self.stderr.write("some demo declarations did not reach the committee: meeting skipped")
                continue
            failing = {d.pk for d in accepted if d.applicant.username.startswith("failed_")}
            try:
                meeting = r.hold_paper_meeting(
                    committee=committee, campaign=demo, declarations=accepted, failing=failing,
                    held_at=r.days_ago_at(held_days_ago, 9, 30), host_admin=host_admin,
                )
                log(f"meeting {meeting.pk} signed")
                notice = demo_outcomes(
                    meeting=meeting, host_actor=host_admin, approval_actor=approval_admin,
                    document_number=r.DEMO_DOCUMENT_NUMBER, confirm=confirm,
                )
                if notice is not None:
                    r.issue_documents(meeting, approval_admin, log)
            except ServiceError as exc:  # e.g. a period the calendar cannot count (R9.1)
                self.stderr.write(f"demo meeting skipped: {exc.message}")

    # -- eligibility and content (docs/eligibility.md) --------------------------------

    def _eligibility_rules(self, campaign: Campaign) -> None:
        """Seed R2.2 conditions once; the office edits them in the admin afterwards."""
        if EligibilityRule.objects.filter(campaign=campaign).exists():
            return
        EligibilityRule.objects.bulk_create(
            EligibilityRule(
                campaign=campaign,
                level=level,
                min_education=education,
                min_years=years,
                required_prior_level=prior or "",
                note="渝人社发〔2022〕57号（常见归纳，待职称办核实）",
            )
            for level, education, years, prior in DEMO_RULES
        )
        self.created.append(f"eligibility rules {campaign.name}")

    def _content(self, declaration: Declaration) -> None:
        """Fill in content that makes a demo draft eligible, once (R1.2, R2.2, R4.7)."""
        if declaration.state not in CONTENT_EDITABLE_STATES or not declaration.level:
            return
        if CurrentTitle.objects.filter(declaration=declaration).exists():
            return
        user = declaration.applicant
        cutoff = declaration.campaign.work_years_cutoff
        prior = PRIOR_LEVEL[Level(declaration.level)]
        if prior is None:
            current_title_set(declaration=declaration, actor=user, basis=TitleBasis.NONE)
        else:
            current_title_set(
                declaration=declaration,
                actor=user,
                basis=TitleBasis.REVIEWED,
                series=TitleSeries.DIGITAL,
                level=prior,
                specialty="计算机应用技术",
                obtained_on=dt.date(cutoff.year - 7, 6, 30),
                issuing_body="重庆市人力资源和社会保障局",
            )
        content_row_add(
            declaration=declaration,
            actor=user,
            section="education",
            level=EducationLevel.BACHELOR,
            school="重庆大学",
            major="计算机科学与技术",
            graduated_on=dt.date(cutoff.year - 12, 7, 1),
            full_time=True,
        )
        content_row_add(
            declaration=declaration,
            actor=user,
            section="work",
            started_on=dt.date(cutoff.year - 12, 7, 15),
            ended_on=None,
            employer=declaration.unit.name if declaration.unit else "自由职业",
            post="软件工程师",
        )
        floating = declaration.category in FLOATING_CATEGORIES
        remote = declaration.category == ApplicantCategory.FLOATING_REMOTE_ARCHIVE
        applicant_status_set(
            declaration=declaration,
            actor=user,
            archive_in_chongqing=not remote,
            archive_agency="杭州市人才服务中心" if remote else "渝北区人才交流服务中心",
            archive_since=dt.date(cutoff.year - 3, 1, 1) if floating else None,
        )
        if floating:
            content_row_add(
                declaration=declaration,
                actor=user,
                section="social_insurance",
                start_month=dt.date(cutoff.year - 3, 1, 1),
                end_month=None,
                employer=declaration.unit.name if declaration.unit else "个人参保",
                paid_in_chongqing=True,
            )
        self.created.append(f"content {user.username}")

    # -- the committee and its expert pool (R7.1, R7.2) ------------------------------

    def _committee(self, orgs: dict[str, Organisation]) -> None:
        """The demo committee with ~30 experts; some work at demo units, so recusal shows."""
        from committees.models import Committee, CommitteeRole, Expert

        committee, created = Committee.objects.get_or_create(
            name=DEMO_COMMITTEE_NAME,
            defaults={
                "host": orgs["committee_host"],
                "approval_body": orgs["approval_body"],
                "draw_method": (
                    "从本评委会专家库中按专业领域随机抽取，超员配置；与申报人有利害关系的专家回避。"
                ),
            },
        )
        if created:
            self.created.append(f"committee {committee.name}")
        fields = list(Field)
        for i, (name, role, employer_key, login) in enumerate(DEMO_EXPERTS):
            # Every expert logs in, so a demo meeting can vote electronically (R7.3).
            user = self._person(login or expert_login(i, name))
            employer = orgs[employer_key] if employer_key else None
            expert, made = Expert.objects.get_or_create(
                name=name,
                defaults={
                    "user": user,
                    "field": fields[i % len(fields)],
                    "title": "正高级工程师" if i % 3 else "高级工程师",
                    "employer": employer,
                    "employer_name": employer.name if employer else f"重庆数字技术研究院第{i + 1}研究所",
                    "term_start": dt.date(2024, 1, 1),
                    "term_end": dt.date(2027, 12, 31),
                },
            )
            if made:
                self.created.append(f"expert {name}")
            elif expert.user_id is None:
                expert.user = user
                expert.save(update_fields=["user"])
            CommitteeRole.objects.get_or_create(
                committee=committee, expert=expert, defaults={"role": role}
            )

    # -- output -----------------------------------------------------------------------

    def _print_logins(self, orgs: dict[str, Organisation], demo: Campaign) -> None:
        rows = [("职称办 Title office (superuser, /admin/)", OFFICE_USERNAME, "—")]
        rows += [(spec.role, spec.admin.username, orgs[spec.key].name) for spec in ORGS]
        for spec in APPLICANTS:
            if spec.picks:
                first = orgs[next(iter(spec.picks.values()))].name
                where = f"{first} · {spec.level.label}草稿 draft" if spec.level else first
            else:
                where = "—（尚未申报 no declaration yet）"
            rows.append((spec.role, spec.person.username, where))
        for spec in READY_APPLICANTS:
            where = f"{orgs[spec.picks[U]].name} · 公示期满待报送 ready to send up"
            rows.append((spec.role, spec.person.username, where))
        for group in (ACCEPTED_APPLICANTS, CERTIFIED_APPLICANTS, PUBLICITY_APPLICANTS):
            for spec in group:
                rows.append((spec.role, spec.person.username, f"{spec.level.label} · {spec.field.label}"))
        rows.append(("评委会主任委员 Committee chair", EXPERT_CHAIR.username, DEMO_COMMITTEE_NAME))
        rows.append(("评审专家 Expert", EXPERT_DEMO.username, DEMO_COMMITTEE_NAME))
        others = [
            expert_login(i, name).username
            for i, (name, _role, _employer, login) in enumerate(DEMO_EXPERTS)
            if login is None
        ]
        rows.append(("其他评审专家 Other experts", f"{others[0]}–{others[-1]}", " ".join(others)))

        header = ("角色 Role", "用户名 Username", "密码 Password", "机构 Organisation")
        table = [header, *((role, name, DEMO_PASSWORD, org) for role, name, org in rows)]
        widths = [max(_display_width(row[i]) for row in table) for i in range(3)]
        fmt = timezone.localtime

        write = self.stdout.write
        done = "already loaded, nothing changed" if not self.created else "loaded"
        write(
            self.style.MIGRATE_HEADING(
                f"Demo data {done}: {len(self.created)} object(s) created or updated this run."
            )
        )
        write(
            f"Open demo campaign “{demo.name}”: "
            f"{fmt(demo.filing_opens_at):%Y-%m-%d %H:%M} – {fmt(demo.filing_closes_at):%Y-%m-%d %H:%M}"
        )
        write(f"Demo logins (password {DEMO_PASSWORD}, set when each account is created):")
        for i, row in enumerate(table):
            line = "  " + "  ".join(_pad(cell, widths[j]) for j, cell in enumerate(row[:3]))
            write(f"{line}  {row[3]}")
            if i == 0:
                write("  " + "-" * (sum(widths) + 6 + _display_width(row[3]) + 2))
