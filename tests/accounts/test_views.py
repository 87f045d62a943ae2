"""Registration of people (R3.1) and organisations (R3.2), login, and the directory (R3.4)."""

from __future__ import annotations

from django.urls import reverse

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, TitleAdministrator, User
from tests.factories import OrganisationFactory, UserFactory, make_id_number

PASSWORD = "Zhicheng-2024-pass"


def _registration(**overrides):
    data = {
        "username": "lisi",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "李四",
        "id_number": make_id_number(),
        "phone": "13912345678",
        "email": "lisi@example.cn",
    }
    data.update(overrides)
    return data


def _bad_check_digit(id_number: str) -> str:
    last = id_number[-1]
    return id_number[:-1] + ("0" if last != "0" else "1")


def test_register_creates_user_and_logs_in(client, db):
    response = client.post(reverse("accounts:register"), _registration())
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    user = User.objects.get(username="lisi")
    assert user.real_name == "李四"
    assert client.get(reverse("core:home")).context["user"] == user


def test_register_lowercase_x_is_normalised(client, db):
    id_number = make_id_number()
    while not id_number.endswith("X"):
        id_number = make_id_number()
    client.post(reverse("accounts:register"), _registration(id_number=id_number.lower()))
    assert User.objects.get(username="lisi").id_number == id_number


def test_register_bad_check_digit_shows_chinese_error_and_creates_no_user(client, db):
    data = _registration(id_number=_bad_check_digit(make_id_number()))
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200
    assert "身份证号码校验位不正确，请核对。" in response.content.decode()
    assert User.objects.count() == 0


def test_register_duplicate_id_number_is_refused(client, db):
    existing = UserFactory()
    response = client.post(reverse("accounts:register"), _registration(id_number=existing.id_number))
    assert response.status_code == 200
    assert "该身份证号码已注册" in response.content.decode()
    assert User.objects.count() == 1


def test_register_password_mismatch_creates_no_user(client, db):
    response = client.post(reverse("accounts:register"), _registration(password2="other-pass-77"))
    assert "两次输入的密码不一致。" in response.content.decode()
    assert User.objects.count() == 0


def test_register_weak_password_is_refused_by_django_validation(client, db):
    response = client.post(
        reverse("accounts:register"), _registration(password1="12345678", password2="12345678")
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("password1")
    assert User.objects.count() == 0


def test_register_when_logged_in_redirects_home(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_login_with_password_then_logout_by_post(client, applicant):
    response = client.post(
        reverse("accounts:login"), {"username": applicant.username, "password": "pass-1234-word"}
    )
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("declarations:list")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("declarations:list")).status_code == 302


def test_login_page_renders_in_chinese(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def _organisation_data(**overrides):
    data = {
        "name": "重庆某软件有限公司",
        "kind": OrgKind.UNIT,
        "level": AdminLevel.DISTRICT,
        "district": District.YUBEI,
        "superior": "",
        "contact_person": "王五",
        "contact_phone": "023-67001234",
        "complaint_phone": "023-67001235",
        "credit_code": "",
    }
    data.update(overrides)
    return data


def test_organisation_register_makes_person_its_administrator(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("accounts:organisation_register"), _organisation_data())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="重庆某软件有限公司")
    binding = TitleAdministrator.objects.get(user=applicant, is_active=True)
    assert binding.organisation == organisation
    assert organisation.contact_person == "王五"
    assert client.get(reverse("core:home")).context["acting_organisation"] == organisation


def test_organisation_register_with_superior(client, applicant):
    superior = OrganisationFactory(kind=OrgKind.COMPETENT_DEPARTMENT)
    client.force_login(applicant)
    client.post(reverse("accounts:organisation_register"), _organisation_data(superior=superior.pk))
    assert Organisation.objects.get(name="重庆某软件有限公司").superior == superior


def test_organisation_register_refuses_committee_host_kind(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:organisation_register"), _organisation_data(kind=OrgKind.COMMITTEE_HOST)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("kind")
    assert Organisation.objects.filter(name="重庆某软件有限公司").count() == 0


def test_organisation_register_by_administrator_is_refused(client, world):
    admin = world.admin(world.unit)
    client.force_login(admin)
    response = client.post(reverse("accounts:organisation_register"), _organisation_data())
    assert response.status_code == 200
    assert "R3.2" in response.content.decode()
    assert Organisation.objects.filter(name="重庆某软件有限公司").count() == 0


def test_organisation_register_duplicate_name_shows_field_error(client, applicant):
    OrganisationFactory(name="重庆某软件有限公司", kind=OrgKind.UNIT)
    client.force_login(applicant)
    response = client.post(reverse("accounts:organisation_register"), _organisation_data())
    assert response.status_code == 200
    assert response.context["form"].has_error("name")
    assert TitleAdministrator.objects.filter(user=applicant).count() == 0


def test_organisation_register_requires_login(client, db):
    response = client.get(reverse("accounts:organisation_register"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_organisation_list_shows_contacts_and_r34_hint(client, world):
    response = client.get(reverse("accounts:organisation_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert world.agency.name in content
    assert world.agency.contact_person in content
    assert world.agency.contact_phone in content
    assert "R3.4" in content


def test_organisation_list_filters_by_kind_and_district(client, world):
    response = client.get(
        reverse("accounts:organisation_list"),
        {"kind": OrgKind.DISTRICT_HR, "district": District.YUBEI},
    )
    assert list(response.context["page_obj"]) == [world.other_district_hr]


def test_organisation_list_hides_inactive(client, world):
    world.agency.is_active = False
    world.agency.save()
    response = client.get(reverse("accounts:organisation_list"), {"kind": OrgKind.PERSONNEL_AGENCY})
    assert list(response.context["page_obj"]) == []
