"""Shared fixtures: one organisation of every kind and a complete set of chains."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, User
from declarations.models import Campaign
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
