"""The accounts API: tokens, registration (R3.1), the directory (R3.4), organisations (R3.2)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.enums import District, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from tests.factories import OrganisationFactory, admin_of, make_id_number

API = "/api/v1/"
PASSWORD = "pass-1234-word"  # UserFactory's


def token_client(user: User) -> APIClient:
    """A client authenticated with the token the API hands out for ``user``."""
    client = APIClient()
    response = client.post(
        f"{API}auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def registration(**overrides: str) -> dict[str, str]:
    data = {
        "username": "lisi",
        "password": "Chongqing-2024-title",
        "real_name": "李四",
        "id_number": make_id_number(),
        "phone": "13912345678",
        "email": "lisi@example.cn",
    }
    data.update(overrides)
    return data


def organisation_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "重庆某软件有限公司",
        "kind": OrgKind.UNIT,
        "district": District.YUBEI,
        "contact_person": "王五",
        "contact_phone": "023-67001234",
    }
    data.update(overrides)
    return data


# --- tokens -------------------------------------------------------------------------------


def _age_token(user: User, seconds: int) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).update(created=timezone.now() - timedelta(seconds=seconds))


def test_token_expires_at_its_age_with_a_reason_and_is_deleted(applicant, settings):
    """Hardening (issue 9): a token is refused from API_TOKEN_AGE on, like a session."""
    from rest_framework.authtoken.models import Token

    settings.API_TOKEN_AGE = 3600
    client = token_client(applicant)
    _age_token(applicant, 3599)
    assert client.get(f"{API}accounts/me/").status_code == 200

    _age_token(applicant, 3600)
    response = client.get(f"{API}accounts/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert "过期" in response.json()["detail"]
    assert not Token.objects.filter(user=applicant).exists()


def test_token_obtain_replaces_an_expired_token(applicant, settings):
    from rest_framework.authtoken.models import Token

    settings.API_TOKEN_AGE = 3600
    client = token_client(applicant)
    old = Token.objects.get(user=applicant).key
    _age_token(applicant, 7200)

    fresh = token_client(applicant)

    assert Token.objects.get(user=applicant).key != old
    assert fresh.get(f"{API}accounts/me/").status_code == 200
    assert client.get(f"{API}accounts/me/").status_code == 401


def test_token_obtain_returns_the_same_live_token(applicant):
    from rest_framework.authtoken.models import Token

    token_client(applicant)
    first = Token.objects.get(user=applicant).key
    token_client(applicant)

    assert Token.objects.get(user=applicant).key == first


def test_token_obtain_with_valid_password_authenticates_later_requests(applicant):
    client = token_client(applicant)

    response = client.get(f"{API}accounts/me/")

    assert response.status_code == 200
    assert response.json()["username"] == applicant.username


def test_token_obtain_with_wrong_password_is_refused(api_client, applicant):
    response = api_client.post(
        f"{API}auth/token/", {"username": applicant.username, "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "authorization"


# --- registration (R3.1) -------------------------------------------------------------------


@pytest.mark.django_db
def test_register_creates_person_and_masks_id_number(api_client):
    data = registration()

    response = api_client.post(f"{API}accounts/register/", data, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["id_number"] == data["id_number"][:6] + "*" * 8 + data["id_number"][-4:]
    assert body["real_name"] == "李四"
    assert "password" not in body
    user = User.objects.get(username="lisi")
    assert user.id_number == data["id_number"]
    assert user.check_password(data["password"]) is True


@pytest.mark.django_db
def test_register_with_lower_case_check_letter_normalises_it(api_client):
    first17 = "50010319900101007"  # its check character is X
    response = api_client.post(
        f"{API}accounts/register/", registration(id_number=first17 + "x"), format="json"
    )

    assert response.status_code == 201, response.json()
    assert User.objects.get(username="lisi").id_number == first17 + "X"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        ("50010319880517123", "id_number_format"),  # 17 characters
        ("5001031988051712A4", "id_number_format"),  # a letter inside
        ("500103198813171234", "id_number_birth_date"),  # month 13
        ("500103198805171230", "id_number_check_digit"),
    ],
)
def test_register_with_malformed_id_number_is_refused(api_client, id_number, code):
    response = api_client.post(f"{API}accounts/register/", registration(id_number=id_number), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "id_number"
    assert User.objects.count() == 0


def test_register_with_registered_id_number_is_refused(api_client, applicant):
    response = api_client.post(
        f"{API}accounts/register/", registration(id_number=applicant.id_number), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "id_number_registered"
    assert User.objects.count() == 1


def test_register_with_taken_username_is_refused(api_client, applicant):
    response = api_client.post(
        f"{API}accounts/register/", registration(username=applicant.username), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "username_taken"
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("abc12", "password_too_short"),
        ("73918264510", "password_entirely_numeric"),
        ("password123", "password_too_common"),
    ],
)
def test_register_with_weak_password_is_refused(api_client, password, code):
    response = api_client.post(f"{API}accounts/register/", registration(password=password), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "password"
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_register_with_bad_phone_is_refused(api_client):
    response = api_client.post(f"{API}accounts/register/", registration(phone="12345"), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "phone_format"
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_register_with_missing_field_names_it(api_client):
    data = registration()
    del data["real_name"]

    response = api_client.post(f"{API}accounts/register/", data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "required"
    assert response.json()["field"] == "real_name"
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_register_with_malformed_json_is_refused(api_client):
    response = api_client.post(f"{API}accounts/register/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_register_with_list_body_is_refused(api_client):
    response = api_client.post(f"{API}accounts/register/", ["x"], format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert User.objects.count() == 0


# --- me -----------------------------------------------------------------------------------


def test_me_shows_masked_id_and_no_organisation(applicant):
    response = token_client(applicant).get(f"{API}accounts/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["id_number"] == applicant.masked_id_number
    assert body["id_number"] != applicant.id_number
    assert body["administered_organisation"] is None


@pytest.mark.django_db
def test_me_shows_administered_organisation():
    unit = OrganisationFactory(name="重庆某数据科技有限公司")
    response = token_client(admin_of(unit)).get(f"{API}accounts/me/")

    assert response.status_code == 200
    assert response.json()["administered_organisation"]["id"] == unit.pk
    assert response.json()["administered_organisation"]["contact_phone"] == unit.contact_phone


@pytest.mark.django_db
def test_me_anonymous_is_refused(api_client):
    response = api_client.get(f"{API}accounts/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- organisation directory (R3.4) -----------------------------------------------------------


def test_organisation_directory_is_public_with_contacts(api_client, world):
    response = api_client.get(f"{API}organisations/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Organisation.objects.filter(is_active=True).count()
    unit = next(o for o in body["results"] if o["id"] == world.unit.pk)
    assert unit["contact_person"] == world.unit.contact_person
    assert unit["contact_phone"] == world.unit.contact_phone
    assert unit["kind"] == "unit"


def test_organisation_directory_filters_by_kind_and_district(api_client, world):
    response = api_client.get(f"{API}organisations/", {"kind": "district_hr", "district": District.YUBEI})

    assert response.status_code == 200
    assert [o["id"] for o in response.json()["results"]] == [world.other_district_hr.pk]


def test_organisation_directory_searches_by_name(api_client, world):
    response = api_client.get(f"{API}organisations/", {"search": "人才交流"})

    assert [o["id"] for o in response.json()["results"]] == [world.agency.pk]


def test_organisation_directory_hides_inactive(api_client, world):
    Organisation.objects.filter(pk=world.agency.pk).update(is_active=False)

    response = api_client.get(f"{API}organisations/", {"kind": "personnel_agency"})

    assert response.json()["count"] == 0


@pytest.mark.django_db
def test_organisation_directory_with_unknown_kind_is_refused(api_client):
    response = api_client.get(f"{API}organisations/", {"kind": "ministry"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"
    assert response.json()["field"] == "kind"


# --- organisation registration (R3.2) ------------------------------------------------------


def test_organisation_register_binds_person_as_administrator(applicant):
    client = token_client(applicant)

    response = client.post(f"{API}organisations/", organisation_data(), format="json")

    assert response.status_code == 201
    organisation = Organisation.objects.get(pk=response.json()["id"])
    assert organisation.registered_by == applicant
    assert TitleAdministrator.objects.get(user=applicant, is_active=True).organisation == organisation
    me = client.get(f"{API}accounts/me/").json()
    assert me["administered_organisation"]["id"] == organisation.pk


@pytest.mark.django_db
def test_organisation_register_anonymous_is_refused(api_client):
    response = api_client.post(f"{API}organisations/", organisation_data(), format="json")

    assert response.status_code == 401
    assert Organisation.objects.count() == 0


def test_organisation_register_committee_host_is_refused(applicant):
    response = token_client(applicant).post(
        f"{API}organisations/", organisation_data(kind=OrgKind.COMMITTEE_HOST), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "organisation_kind_not_registrable"
    assert Organisation.objects.count() == 0


def test_organisation_register_while_administrator_is_refused(world):
    response = token_client(world.admin(world.unit)).post(
        f"{API}organisations/", organisation_data(), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "already_administrator"
    assert not Organisation.objects.filter(name="重庆某软件有限公司").exists()


def test_organisation_register_registered_name_is_refused(applicant, world):
    response = token_client(applicant).post(
        f"{API}organisations/", organisation_data(name=world.unit.name), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "organisation_registered"
    assert TitleAdministrator.objects.filter(user=applicant).count() == 0


def test_organisation_register_registered_credit_code_is_refused(applicant):
    OrganisationFactory(credit_code="91500000MA5U000001")

    response = token_client(applicant).post(
        f"{API}organisations/", organisation_data(credit_code="91500000ma5u000001"), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "credit_code_registered"
    assert TitleAdministrator.objects.filter(user=applicant).count() == 0


def test_organisation_register_unknown_superior_is_refused(applicant):
    response = token_client(applicant).post(
        f"{API}organisations/", organisation_data(superior=999999), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"
    assert response.json()["field"] == "superior"
    assert Organisation.objects.count() == 0
