"""Shared fixtures: one organisation of every kind and a complete set of chains."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from declarations.models import Campaign, Declaration
from tests.factories import CampaignFactory, OrganisationFactory, UserFactory, admin_of


@dataclass
class World:
    """Organisations for every chain of R4, with one administrator each."""

    campaign: Campaign
    committee_host: Organisation
    unit: Organisation
    city_department: Organisation
    district_department: Organisation
    district_hr: Organisation  # in the same district as the department and the agency
    other_district_hr: Organisation
    agency: Organisation
    management_body: Organisation
    admins: dict[str, User]

    def admin(self, org: Organisation) -> User:
        return self.admins[org.name]


# The exact sequence of organisations each chain passes, by World attribute (R4).
EXPECTED_ROUTES: dict[str, list[str]] = {
    "city_public": ["unit", "city_department"],
    "district_public": ["unit", "district_department", "district_hr"],
    "floating_cq_archive": ["unit", "agency", "district_hr"],
    "floating_remote_archive": ["unit", "other_district_hr"],
    "freelancer": ["agency", "district_hr"],
    "out_of_city_unit": ["unit", "management_body"],
}

# Which declaration slot each World attribute fills.
SLOT_OF = {
    "unit": "unit",
    "city_department": "competent_department",
    "district_department": "competent_department",
    "district_hr": "district_hr",
    "other_district_hr": "district_hr",
    "agency": "personnel_agency",
    "management_body": "management_body",
}


@pytest.fixture(autouse=True)
def _routing_chains(request) -> None:
    """Keep the chains the data migration seeds, even after a transactional test flushed them."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        return
    request.getfixturevalue("db") if not request.node.get_closest_marker("django_db") else None
    from review.chains import load_chains
    from review.models import ChainStep, RoutingChain

    if not RoutingChain.objects.exists():
        load_chains(RoutingChain, ChainStep)


# How far ahead of today a test acting with the real clock may count working days: a
# default correction deadline (5 working days, R6.1) never reaches further.
REAL_CLOCK_HORIZON = dt.timedelta(days=45)


@pytest.fixture(autouse=True)
def _calendar_covers_real_clock(request) -> None:
    """Publish the years the real clock reaches that the installed calendar does not know.

    Returns made without an explicit ``now`` count working days from today (R9.1a); once
    today nears a year the ``chinesecalendar`` package does not cover, they would raise
    ``CalendarNotCovered``. This stands in for the office entering that year's notice,
    so the suite does not depend on today's date. Tests of the calendar itself opt out
    with ``@pytest.mark.real_calendar``; tests of working days pass explicit ``now``
    values in covered years.
    """
    if request.node.get_closest_marker("real_calendar"):
        return
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        return
    if not request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    from django.utils import timezone

    from core.models import CalendarYear
    from core.workdays import package_covers

    today = timezone.localdate()
    for year in {today.year, (today + REAL_CLOCK_HORIZON).year}:
        if not package_covers(year):
            CalendarYear.objects.get_or_create(
                year=year, defaults={"published": True, "source": "测试：模拟职称办已录入"}
            )


@pytest.fixture
def world(db) -> World:
    def org(name: str, kind: str, level: str = AdminLevel.DISTRICT,
            district: str = District.JIULONGPO) -> Organisation:
        return OrganisationFactory(name=name, kind=kind, level=level, district=district)

    campaign = CampaignFactory(
        committee_host=org("重庆市数字技术职称评委会", OrgKind.COMMITTEE_HOST, AdminLevel.CITY,
                           District.CITY)
    )
    w = World(
        campaign=campaign,
        committee_host=campaign.committee_host,
        unit=org("重庆某数据科技有限公司", OrgKind.UNIT),
        city_department=org("重庆市经济和信息化委员会", OrgKind.COMPETENT_DEPARTMENT,
                            AdminLevel.CITY, District.CITY),
        district_department=org("九龙坡区科技局", OrgKind.COMPETENT_DEPARTMENT),
        district_hr=org("九龙坡区人力资源和社会保障局", OrgKind.DISTRICT_HR),
        other_district_hr=org("渝北区人力资源和社会保障局", OrgKind.DISTRICT_HR,
                              district=District.YUBEI),
        agency=org("九龙坡区人才交流服务中心", OrgKind.PERSONNEL_AGENCY),
        management_body=org("某集团驻渝总部", OrgKind.CQ_MANAGEMENT_BODY,
                            AdminLevel.CITY, District.CITY),
        admins={},
    )
    for o in [w.committee_host, w.unit, w.city_department, w.district_department,
              w.district_hr, w.other_district_hr, w.agency, w.management_body]:
        w.admins[o.name] = admin_of(o)
    return w


def picks_for(world: World, category: str) -> dict[str, Organisation]:
    """The organisation picks an applicant of ``category`` makes."""
    return {SLOT_OF[attr]: getattr(world, attr) for attr in EXPECTED_ROUTES[category]}


@pytest.fixture
def applicant(db) -> User:
    return UserFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


# A Monday in a year the working-day calendar covers, with no holiday in the next two
# weeks: 5 working days opened then end at 2025-03-11 00:00 (R9.1a).
PUBLICITY_OPENED_AT = dt.datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def publicise_and_release(
    declaration: Declaration, world: World | None = None, *, now: dt.datetime | None = None
) -> Declaration:
    """Put a candidate waiting at its unit through publicity, and end the period (R6.3).

    Publishes a batch of this one candidate as the unit's administrator (opened at
    ``now``, by default ``PUBLICITY_OPENED_AT``) and runs the sweep step at the end of
    the period, so that the unit may then pass it up. A declaration that is not waiting
    at a ``unit`` step, or was already publicised, is returned unchanged, so a loop over
    a whole route may call this before every pass.
    """
    from review.enums import Slot
    from review.models import PublicityEntry, RouteStep
    from review.publicity import publicity_batch_publish, publicity_release_due

    declaration = Declaration.objects.get(pk=declaration.pk)
    step = RouteStep.objects.filter(declaration=declaration, position=declaration.current_step).first()
    if (
        declaration.state != "in_review"
        or step is None
        or step.slot != Slot.UNIT
        or PublicityEntry.objects.filter(declaration=declaration).exists()
    ):
        return declaration
    admin = (
        world.admin(step.organisation)
        if world is not None and step.organisation.name in world.admins
        else TitleAdministrator.objects.get(organisation=step.organisation, is_active=True).user
    )
    batch = publicity_batch_publish(
        actor=admin,
        declarations=[declaration],
        offline_location="本单位公告栏",
        now=now or PUBLICITY_OPENED_AT,
    )
    publicity_release_due(now=batch.ends_at)
    return Declaration.objects.get(pk=declaration.pk)
