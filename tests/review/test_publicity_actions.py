"""What the unit is offered at its step before and after publicity (R6.3), in pages and API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from declarations.services import declaration_create, declaration_submit
from tests.conftest import picks_for, publicise_and_release


def _at_unit(world, applicant):
    d = declaration_create(
        actor=applicant, campaign=world.campaign, level="engineer", field="big_data",
        category="city_public", **picks_for(world, "city_public"),
    )
    return declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)


def _actions(user, declaration) -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/declarations/{declaration.pk}/").json()["allowed_actions"]


@pytest.mark.django_db
def test_allowed_actions_unit_offers_publicise_not_pass_before_publicity(world, applicant):
    d = _at_unit(world, applicant)

    assert _actions(world.admin(world.unit), d) == ["publicise", "return", "refuse"]


@pytest.mark.django_db
def test_allowed_actions_unit_offers_pass_after_publicity(world, applicant):
    d = _at_unit(world, applicant)
    publicise_and_release(d, world)

    assert _actions(world.admin(world.unit), d) == ["pass", "return", "refuse"]


@pytest.mark.django_db
def test_allowed_actions_applicant_may_remind_while_in_review(world, applicant):
    d = _at_unit(world, applicant)

    assert "remind" in _actions(applicant, d)


@pytest.mark.django_db
def test_detail_page_unit_form_has_no_pass_before_publicity_and_links_publicity(client, world, applicant):
    d = _at_unit(world, applicant)
    client.force_login(world.admin(world.unit))

    response = client.get(f"/declarations/{d.pk}/")

    choices = [c[0] for c in response.context["decision_form"].fields["action"].choices]
    assert choices == ["return", "refuse"]
    assert "R6.3" in response.context["pass_blocked"]
    assert b"/review/publicity/" in response.content


@pytest.mark.django_db
def test_detail_page_unit_form_offers_pass_after_publicity(client, world, applicant):
    d = _at_unit(world, applicant)
    publicise_and_release(d, world)
    client.force_login(world.admin(world.unit))

    response = client.get(f"/declarations/{d.pk}/")

    choices = [c[0] for c in response.context["decision_form"].fields["action"].choices]
    assert choices == ["pass", "return", "refuse"]
    assert response.context["pass_blocked"] == ""
