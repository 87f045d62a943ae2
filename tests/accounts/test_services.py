"""Registering people and organisations, and binding title administrators (R1.3, R3)."""

from __future__ import annotations

import pytest

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from accounts.services import administrator_bind, organisation_register, user_register
from core.exceptions import ServiceError
from core.models import AuditEvent
from declarations.services import declaration_create, declaration_submit
from tests.conftest import picks_for
from tests.factories import OrganisationFactory, UserFactory, admin_of

VALID_ID = "50010719880517007X"


def snapshot() -> dict[str, int]:
    """Row counts that a refused registration must leave as they were."""
    return {
        model.__name__: model.objects.count()
        for model in (User, Organisation, TitleAdministrator, AuditEvent)
    }


def register(**overrides) -> User:  # type: ignore[no-untyped-def]
    fields = {
        "username": "liming",
        "password": "s3cret-pass-word",
        "real_name": "李明",
        "id_number": VALID_ID,
        "phone": "13983010001",
        "email": "liming@example.cn",
    }
    return user_register(**{**fields, **overrides})


def register_org(actor: User, **overrides) -> Organisation:  # type: ignore[no-untyped-def]
    fields = {
        "name": "重庆云启智联科技有限公司",
        "kind": OrgKind.UNIT,
        "district": District.YUBEI,
        "contact_person": "唐磊",
        "contact_phone": "023-67823301",
    }
    return organisation_register(actor=actor, **{**fields, **overrides})


# -- user_register -------------------------------------------------------------------


@pytest.mark.django_db
def test_user_register_valid_creates_user_and_audit_row():
    user = register()

    user = User.objects.get(pk=user.pk)
    assert (user.username, user.real_name, user.id_number, user.phone) == (
        "liming",
        "李明",
        VALID_ID,
        "13983010001",
    )
    assert user.check_password("s3cret-pass-word") is True
    events = list(AuditEvent.objects.all())
    assert len(events) == 1
    assert (events[0].action, events[0].actor, events[0].object_id) == (
        "user_register",
        user,
        str(user.pk),
    )


@pytest.mark.django_db
def test_user_register_lower_case_x_stored_upper_case():
    user = register(id_number=" 50010719880517007x ")
    assert User.objects.get(pk=user.pk).id_number == VALID_ID


@pytest.mark.django_db
def test_user_register_duplicate_id_number_refused():
    register()
    before = snapshot()

    with pytest.raises(ServiceError) as caught:
        register(username="someone-else", id_number=VALID_ID.lower())

    assert caught.value.code == "id_number_registered"
    assert caught.value.field == "id_number"
    assert snapshot() == before
    assert User.objects.filter(username="someone-else").exists() is False


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"id_number": "500107198805170070"}, "id_number_check_digit"),
        ({"id_number": "500107199902310012"}, "id_number_birth_date"),
        ({"id_number": "5001071988051700"}, "id_number_format"),
        ({"phone": "1398301000"}, "phone_format"),
        ({"real_name": "  "}, "real_name_required"),
    ],
)
@pytest.mark.django_db
def test_user_register_invalid_input_refused(overrides, code):
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        register(**overrides)
    assert caught.value.code == code
    assert snapshot() == before


@pytest.mark.django_db
def test_user_register_username_taken_refused():
    UserFactory(username="liming")
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        register()
    assert caught.value.code == "username_taken"
    assert snapshot() == before


# -- organisation_register -------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_register_binds_actor_as_administrator(applicant):
    # R3.2: whoever registers the organisation becomes its title administrator.
    org = register_org(applicant, level=AdminLevel.DISTRICT, complaint_phone="023-67823302")

    org = Organisation.objects.get(pk=org.pk)
    assert (org.name, org.kind, org.district, org.registered_by) == (
        "重庆云启智联科技有限公司",
        OrgKind.UNIT,
        District.YUBEI,
        applicant,
    )
    bindings = list(TitleAdministrator.objects.filter(user=applicant))
    assert [(b.organisation, b.is_active) for b in bindings] == [(org, True)]
    assert User.objects.get(pk=applicant.pk).administered_organisation == org
    event = AuditEvent.objects.get(action="organisation_register")
    assert (event.actor, event.object_id) == (applicant, str(org.pk))


@pytest.mark.django_db
def test_organisation_register_already_bound_refused(applicant):
    first = register_org(applicant)
    before = snapshot()

    with pytest.raises(ServiceError) as caught:
        register_org(applicant, name="渝北区人才交流服务中心", kind=OrgKind.PERSONNEL_AGENCY)

    assert caught.value.code == "already_administrator"
    assert snapshot() == before
    assert list(TitleAdministrator.objects.filter(user=applicant).values_list("organisation", flat=True)) == [
        first.pk
    ]


@pytest.mark.django_db
def test_organisation_register_with_submitted_declaration_refused(world, applicant):
    # R1.3: a person with a declaration under way cannot become an administrator.
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        category="city_public",
        **picks_for(world, "city_public"),
    )
    declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)
    before = snapshot()

    with pytest.raises(ServiceError) as caught:
        register_org(applicant)

    assert caught.value.code == "has_open_declaration"
    assert snapshot() == before
    assert TitleAdministrator.objects.filter(user=applicant).exists() is False


@pytest.mark.django_db
def test_organisation_register_with_only_a_draft_accepted_but_draft_then_blocked(world, applicant):
    # docs/decisions.md: a draft does not block a binding, but once bound the person
    # cannot submit it (R1.3).
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        category="city_public",
        **picks_for(world, "city_public"),
    )

    org = register_org(applicant)

    assert TitleAdministrator.objects.get(user=applicant, is_active=True).organisation == org
    with pytest.raises(ServiceError) as caught:
        declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)
    assert caught.value.code == "administrator_cannot_declare"


@pytest.mark.parametrize("kind", [OrgKind.COMMITTEE_HOST, OrgKind.APPROVAL_BODY])
@pytest.mark.django_db
def test_organisation_register_office_only_kind_refused(applicant, kind):
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        register_org(
            applicant, name="重庆市某评委会", kind=kind, level=AdminLevel.CITY, district=District.CITY
        )
    assert caught.value.code == "organisation_kind_not_registrable"
    assert caught.value.field == "kind"
    assert snapshot() == before


@pytest.mark.django_db
def test_organisation_register_same_kind_and_name_refused(applicant):
    OrganisationFactory(name="重庆云启智联科技有限公司", kind=OrgKind.UNIT)
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        register_org(applicant)
    assert caught.value.code == "organisation_registered"
    assert snapshot() == before


@pytest.mark.django_db
def test_organisation_register_invalid_contact_phone_refused(applicant):
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        register_org(applicant, contact_phone="6782")
    assert (caught.value.code, caught.value.field) == ("phone_format", "contact_phone")
    assert snapshot() == before


# -- administrator_bind ----------------------------------------------------------------


@pytest.mark.django_db
def test_administrator_bind_binds_and_records(applicant):
    office = UserFactory(is_staff=True, is_superuser=True)
    org = OrganisationFactory()

    binding = administrator_bind(actor=office, user=applicant, organisation=org)

    assert TitleAdministrator.objects.get(pk=binding.pk).organisation == org
    event = AuditEvent.objects.get(action="administrator_bind")
    assert (event.actor, event.object_id) == (office, str(binding.pk))


@pytest.mark.django_db
def test_administrator_bind_already_bound_refused():
    user = admin_of(OrganisationFactory())
    other = OrganisationFactory()
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        administrator_bind(actor=None, user=user, organisation=other)
    assert caught.value.code == "already_administrator"
    assert snapshot() == before
    assert other.administrators.count() == 0
