"""The home page: introduction for visitors, dashboard by role (applicant, reviewer, committee)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from declarations.services import declaration_create, declaration_submit
from review.services import step_pass
from tests.conftest import picks_for, publicise_and_release
from tests.factories import UserFactory


def _submitted(world, applicant, category="city_public"):
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        category=category,
        **picks_for(world, category),
    )
    return declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)


def test_home_anonymous_shows_open_campaign_and_links(client, world):
    response = client.get(reverse("core:home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert world.campaign.name in content
    assert reverse("accounts:login") in content
    assert reverse("accounts:register") in content
    assert reverse("accounts:organisation_list") in content


def test_home_header_offers_language_switch(client, db):
    content = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("set_language")}"' in content
    assert 'value="en"' in content
    assert "简体中文" in content
    assert "English" in content


def test_home_language_switch_to_english_keeps_pages_working(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in response.content.decode()


def test_home_applicant_sees_declarations_and_create_button(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(applicant)
    content = client.get(reverse("core:home")).content.decode()
    assert reverse("declarations:create") in content
    assert declaration.get_absolute_url() in content
    assert reverse("declarations:list") in content


def test_home_bound_administrator_is_told_r13_and_offered_no_create(client, world):
    client.force_login(world.admin(world.unit))
    content = client.get(reverse("core:home")).content.decode()
    assert "R1.3" in content
    assert reverse("declarations:create") not in content


def test_home_administrator_sees_queue_count(client, world, applicant):
    _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    response = client.get(reverse("core:home"))
    assert response.context["queue_count"] == 1
    assert reverse("review:queue") in response.content.decode()


def test_home_committee_host_sees_what_arrived(client, world, applicant):
    declaration = _submitted(world, applicant)
    while declaration.state == "in_review":
        declaration = publicise_and_release(declaration, world)
        declaration = step_pass(declaration=declaration, actor=world.admin(declaration.current_organisation))
    client.force_login(world.admin(world.committee_host))
    response = client.get(reverse("core:home"))
    assert response.context["queue_count"] == 1
    assert response.context["committee_summary"] == [
        {"state": "committee_check", "label": "评委会受理审核中", "count": 1}
    ]


def test_unknown_page_answers_404_with_platform_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.real_calendar
@pytest.mark.django_db
def test_home_shows_office_the_calendar_warning_and_not_applicants(client, applicant):
    from django.utils import timezone

    from core.workdays import uncovered_years_warning

    office = UserFactory(is_staff=True)
    expected = uncovered_years_warning(timezone.localdate())

    client.force_login(office)
    assert client.get("/").context["calendar_warning"] == expected
    client.force_login(applicant)
    assert "calendar_warning" not in client.get("/").context
