"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from accounts.validators import id_number_check_digit
from declarations.enums import DeclarationType, Field, Level
from declarations.models import Campaign, Declaration

_serial = itertools.count(1)


def make_id_number(birth: dt.date = dt.date(1988, 5, 17), region: str = "500103") -> str:
    """Return a valid resident ID number, unique within the test run."""
    seq = f"{next(_serial) % 1000:03d}"
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    return first17 + id_number_check_digit(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.LazyFunction(make_id_number)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = OrgKind.UNIT
    level = AdminLevel.DISTRICT
    district = District.YUZHONG
    contact_person = factory.Sequence(lambda n: f"联系人{n}")
    contact_phone = factory.Sequence(lambda n: f"023{n:08d}")


class TitleAdministratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitleAdministrator

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def admin_of(organisation: Organisation) -> User:
    """Create a person bound as the organisation's title administrator."""
    return TitleAdministratorFactory(organisation=organisation).user


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign whose filing window is open now."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"测试批次{n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    committee_host = factory.SubFactory(
        OrganisationFactory, kind=OrgKind.COMMITTEE_HOST, level=AdminLevel.CITY,
        district=District.CITY,
    )
    approval_body = factory.SubFactory(
        OrganisationFactory, kind=OrgKind.APPROVAL_BODY, level=AdminLevel.CITY,
        district=District.CITY,
    )
    filing_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    filing_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    chain_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    work_years_cutoff = factory.LazyFunction(lambda: dt.date(timezone.localdate().year, 12, 31))


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A draft declaration (R4.1 category, without organisations unless given)."""

    class Meta:
        model = Declaration

    campaign = factory.SubFactory(CampaignFactory)
    applicant = factory.SubFactory(UserFactory)
    level = Level.ENGINEER
    field = Field.BIG_DATA
    declaration_type = DeclarationType.NORMAL
    category = "city_public"


def make_eligible(declaration: Declaration) -> Declaration:
    """Give the content R4.7 asks of floating personnel: 2 years of contributions in
    Chongqing and 2 years of archive storage up to the campaign's cut-off; others unchanged.

    Written directly (no audit rows), as data a test starts from.
    """
    from declarations.eligibility import FLOATING_CATEGORIES
    from declarations.models import ApplicantStatus, SocialInsuranceRecord

    if declaration.category not in FLOATING_CATEGORIES:
        return declaration
    cutoff = declaration.campaign.work_years_cutoff
    two_years_before = cutoff.replace(year=cutoff.year - 2, day=1)
    ApplicantStatus.objects.update_or_create(
        declaration=declaration,
        defaults={
            "archive_in_chongqing": declaration.category != "floating_remote_archive",
            "archive_agency": "重庆市人才交流服务中心",
            "archive_since": two_years_before,
        },
    )
    if not SocialInsuranceRecord.objects.filter(declaration=declaration).exists():
        SocialInsuranceRecord.objects.create(
            declaration=declaration,
            start_month=two_years_before,
            employer="重庆某数据科技有限公司",
            paid_in_chongqing=True,
        )
    return declaration
