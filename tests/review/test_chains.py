"""Each routing chain of R4 driven from draft to the committee through the services."""

from __future__ import annotations

import pytest

from declarations.enums import State
from declarations.services import declaration_create, declaration_submit
from review.models import RouteStep
from review.services import step_pass
from tests.conftest import EXPECTED_ROUTES, picks_for, publicise_and_release
from tests.factories import make_eligible


@pytest.mark.parametrize("category", sorted(EXPECTED_ROUTES))
def test_chain_reaches_committee_through_expected_organisations(world, applicant, category):
    declaration = declaration_create(
        actor=applicant, campaign=world.campaign, level="engineer", field="big_data",
        category=category, **picks_for(world, category),
    )
    make_eligible(declaration)
    declaration = declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)
    expected = [getattr(world, attr) for attr in EXPECTED_ROUTES[category]]
    route = [s.organisation for s in RouteStep.objects.filter(declaration=declaration).order_by("position")]
    assert route == expected

    visited = []
    while declaration.state == State.IN_REVIEW:
        org = declaration.current_organisation
        visited.append(org)
        declaration = publicise_and_release(declaration, world)
        declaration = step_pass(declaration=declaration, actor=world.admin(org))
    assert visited == expected
    assert declaration.state == State.COMMITTEE_CHECK
    assert declaration.current_organisation == world.committee_host
    assert declaration.committee_submissions == 1
