"""The declarations API: campaigns, drafts, submission (R5) and the applicant's list (R5.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.enums import District, OrgKind
from accounts.models import User
from declarations.enums import DeclarationType, State
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.models import RouteStep
from review.services import step_pass
from tests.conftest import picks_for, publicise_and_release
from tests.factories import CampaignFactory, DeclarationFactory, UserFactory

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


def create_data(world, category: str = "city_public", **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "campaign": world.campaign.pk,
        "level": "engineer",
        "field": "big_data",
        "declaration_type": "normal",
        "category": category,
        **{slot: org.pk for slot, org in picks_for(world, category).items()},
    }
    data.update(overrides)
    return data


def state_of(declaration_id: int) -> str:
    return Declaration.objects.get(pk=declaration_id).state


# --- campaigns ----------------------------------------------------------------------------


def test_campaign_list_shows_open_campaigns_with_fees(world, applicant):
    closed = CampaignFactory(
        filing_opens_at=timezone.now() - dt.timedelta(days=40),
        filing_closes_at=timezone.now() - dt.timedelta(days=20),
        chain_deadline=timezone.now() - dt.timedelta(days=10),
    )

    response = token_client(applicant).get(f"{API}campaigns/")

    assert response.status_code == 200
    ids = [c["id"] for c in response.json()]
    assert world.campaign.pk in ids
    assert closed.pk not in ids
    campaign = next(c for c in response.json() if c["id"] == world.campaign.pk)
    assert campaign["fees"] == {"senior": "420.00", "intermediate": "240.00", "junior": "120.00"}
    assert campaign["committee_host"]["id"] == world.committee_host.pk


# --- create -------------------------------------------------------------------------------


def test_declaration_create_makes_draft_with_allowed_actions(world, applicant):
    response = token_client(applicant).post(f"{API}declarations/", create_data(world), format="json")

    assert response.status_code == 201
    body = response.json()
    declaration = Declaration.objects.get(pk=body["id"])
    assert declaration.applicant == applicant
    assert declaration.state == State.DRAFT
    assert declaration.unit == world.unit
    assert body["state"] == "draft"
    assert body["level_display"] == "工程师"
    assert body["fee"] == "240.00"
    assert body["unit"]["id"] == world.unit.pk
    assert body["route"] == []
    assert body["current_organisation"] is None
    assert body["allowed_actions"] == ["update", "submit", "withdraw"]


def test_declaration_create_may_be_incomplete(world, applicant):
    response = token_client(applicant).post(
        f"{API}declarations/", {"campaign": world.campaign.pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["level"] == ""
    assert response.json()["fee"] is None


@pytest.mark.parametrize(
    ("pick", "code"),
    [(999999, "does_not_exist"), ("abc", "incorrect_type"), ("district_hr", "does_not_exist")],
)
def test_declaration_create_with_bad_organisation_is_refused(world, applicant, pick, code):
    # A district HR office's id in the unit pick is an organisation of the wrong kind.
    value = world.district_hr.pk if pick == "district_hr" else pick

    response = token_client(applicant).post(
        f"{API}declarations/", create_data(world, unit=value), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "unit"
    assert Declaration.objects.count() == 0


def test_declaration_create_with_inactive_organisation_is_refused(world, applicant):
    world.unit.is_active = False
    world.unit.save(update_fields=["is_active"])

    response = token_client(applicant).post(f"{API}declarations/", create_data(world), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"
    assert Declaration.objects.count() == 0


def test_declaration_create_with_unknown_campaign_is_refused(world, applicant):
    response = token_client(applicant).post(
        f"{API}declarations/", create_data(world, campaign=999999), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"
    assert response.json()["field"] == "campaign"
    assert Declaration.objects.count() == 0


def test_declaration_create_in_closed_campaign_is_refused(world, applicant):
    closed = CampaignFactory(
        committee_host=world.committee_host,
        filing_opens_at=timezone.now() - dt.timedelta(days=40),
        filing_closes_at=timezone.now() - dt.timedelta(days=20),
        chain_deadline=timezone.now() - dt.timedelta(days=10),
    )

    response = token_client(applicant).post(
        f"{API}declarations/", create_data(world, campaign=closed.pk), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "campaign_closed"
    assert Declaration.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"level": "chief_engineer"}, "invalid_choice", "level"),
        ({"category": ""}, "invalid_choice", "category"),
        ({"level": None}, "null", "level"),
        ({"declaration_type": ["normal"]}, "invalid_choice", "declaration_type"),
    ],
)
def test_declaration_create_with_malformed_field_is_refused(world, applicant, overrides, code, field):
    data = create_data(world)
    data.update(overrides)

    response = token_client(applicant).post(f"{API}declarations/", data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == field
    assert Declaration.objects.count() == 0


def test_declaration_create_by_administrator_is_refused(world):
    # R1.3: a bound title administrator may not declare.
    response = token_client(world.admin(world.unit)).post(
        f"{API}declarations/", create_data(world), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "administrator_cannot_declare"
    assert Declaration.objects.count() == 0


def test_declaration_submit_after_becoming_administrator_is_refused(world, applicant):
    # R1.3: the draft was started before the person registered an organisation (R3.2).
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]
    registered = client.post(
        f"{API}organisations/",
        {
            "name": "重庆新注册科技有限公司",
            "kind": OrgKind.UNIT,
            "district": District.YUBEI,
            "contact_person": "赵六",
            "contact_phone": "13800001111",
        },
        format="json",
    )
    assert registered.status_code == 201

    response = client.post(
        f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "administrator_cannot_declare"
    assert state_of(declaration_id) == State.DRAFT
    assert RouteStep.objects.filter(declaration_id=declaration_id).count() == 0


# --- update -------------------------------------------------------------------------------


def test_declaration_update_changes_only_sent_fields(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]

    response = client.patch(
        f"{API}declarations/{declaration_id}/", {"level": "senior_engineer"}, format="json"
    )

    assert response.status_code == 200
    declaration = Declaration.objects.get(pk=declaration_id)
    assert declaration.level == "senior_engineer"
    assert declaration.field == "big_data"
    assert declaration.unit == world.unit
    assert response.json()["fee"] == "420.00"


def test_declaration_update_can_clear_a_pick(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]

    response = client.patch(f"{API}declarations/{declaration_id}/", {"unit": None}, format="json")

    assert response.status_code == 200
    assert Declaration.objects.get(pk=declaration_id).unit is None


@pytest.mark.parametrize("body", [{"campaign": 1}, {"state": "accepted"}, {"applicant": 1}])
def test_declaration_update_of_fixed_field_is_refused(world, applicant, body):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]

    response = client.patch(f"{API}declarations/{declaration_id}/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_field"
    assert response.json()["field"] == next(iter(body))
    declaration = Declaration.objects.get(pk=declaration_id)
    assert (declaration.campaign, declaration.state, declaration.applicant) == (
        world.campaign,
        State.DRAFT,
        applicant,
    )


def test_declaration_update_after_submit_is_refused(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]
    client.post(f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json")

    response = client.patch(
        f"{API}declarations/{declaration_id}/", {"level": "senior_engineer"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert Declaration.objects.get(pk=declaration_id).level == "engineer"


def test_declaration_update_by_reviewer_is_refused(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]
    client.post(f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json")

    response = token_client(world.admin(world.unit)).patch(
        f"{API}declarations/{declaration_id}/", {"level": "senior_engineer"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_applicant"
    assert Declaration.objects.get(pk=declaration_id).level == "engineer"


# --- submit -------------------------------------------------------------------------------


def test_declaration_submit_fixes_route_and_shows_current_contact(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(
        f"{API}declarations/", create_data(world, "district_public"), format="json"
    ).json()["id"]

    response = client.post(
        f"{API}declarations/{declaration_id}/submit/",
        {"integrity_accepted": True},
        format="json",
        REMOTE_ADDR="10.1.2.3",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "in_review"
    assert body["chain"] == {"code": "R4.2", "name": "区县属事业单位、国有企业"}
    assert [(s["position"], s["organisation"]["id"], s["is_current"]) for s in body["route"]] == [
        (0, world.unit.pk, True),
        (1, world.district_department.pk, False),
        (2, world.district_hr.pk, False),
    ]
    # R5.3: the current step's organisation with its contact person and phone.
    assert body["current_organisation"] == {
        "id": world.unit.pk,
        "name": world.unit.name,
        "kind": "unit",
        "contact_person": world.unit.contact_person,
        "contact_phone": world.unit.contact_phone,
    }
    assert body["submitted_at"] is not None
    assert body["allowed_actions"] == ["withdraw", "remind"]
    declaration = Declaration.objects.get(pk=declaration_id)
    assert declaration.integrity_signed_ip == "10.1.2.3"


def test_declaration_submit_twice_is_illegal_transition(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]
    client.post(f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json")
    submitted_at = Declaration.objects.get(pk=declaration_id).submitted_at

    response = client.post(
        f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    declaration = Declaration.objects.get(pk=declaration_id)
    assert declaration.state == State.IN_REVIEW
    assert declaration.submitted_at == submitted_at
    assert declaration.current_organisation == world.unit


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"integrity_accepted": False}, "integrity_required"),
        ({}, "required"),
        ({"integrity_accepted": "perhaps"}, "invalid"),
    ],
)
def test_declaration_submit_without_integrity_commitment_is_refused(world, applicant, body, code):
    # R5.2: the commitment is signed before submitting.
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]

    response = client.post(f"{API}declarations/{declaration_id}/submit/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == "integrity_accepted"
    assert state_of(declaration_id) == State.DRAFT


def test_declaration_submit_with_missing_organisation_asks_it_to_register(world, applicant):
    # R3.4: the chain of R4.1 needs a competent department the applicant did not find.
    client = token_client(applicant)
    data = create_data(world)
    del data["competent_department"]
    declaration_id = client.post(f"{API}declarations/", data, format="json").json()["id"]

    response = client.post(
        f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "organisation_missing"
    assert body["field"] == "competent_department"
    assert "注册" in body["detail"]
    assert state_of(declaration_id) == State.DRAFT
    assert RouteStep.objects.filter(declaration_id=declaration_id).count() == 0


def test_declaration_submit_incomplete_is_refused(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(
        f"{API}declarations/", {"campaign": world.campaign.pk}, format="json"
    ).json()["id"]

    response = client.post(
        f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "incomplete"
    assert state_of(declaration_id) == State.DRAFT


# --- withdraw -----------------------------------------------------------------------------


def test_declaration_withdraw_under_review_ends_it(world, applicant):
    client = token_client(applicant)
    declaration_id = client.post(f"{API}declarations/", create_data(world), format="json").json()["id"]
    client.post(f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json")

    response = client.post(
        f"{API}declarations/{declaration_id}/withdraw/", {"reason": "工作变动"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert response.json()["allowed_actions"] == []
    assert state_of(declaration_id) == State.WITHDRAWN


def test_declaration_withdraw_at_committee_is_illegal_transition(world, applicant):
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        category="city_public",
        **picks_for(world, "city_public"),
    )
    declaration = declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    declaration = step_pass(declaration=declaration, actor=world.admin(world.city_department))

    response = token_client(applicant).post(
        f"{API}declarations/{declaration.pk}/withdraw/", {}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert state_of(declaration.pk) == State.COMMITTEE_CHECK


# --- reading ------------------------------------------------------------------------------


def test_declaration_list_shows_only_own(world, applicant):
    mine = DeclarationFactory(campaign=world.campaign, applicant=applicant)
    DeclarationFactory(campaign=world.campaign)

    response = token_client(applicant).get(f"{API}declarations/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [d["id"] for d in response.json()["results"]] == [mine.pk]


def test_declaration_detail_of_another_applicant_is_not_found(world, applicant):
    other = DeclarationFactory(campaign=world.campaign)

    response = token_client(applicant).get(f"{API}declarations/{other.pk}/")

    assert response.status_code == 404
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] == "not_found"


def test_declaration_detail_with_out_of_range_id_is_not_found(applicant):
    response = token_client(applicant).get(f"{API}declarations/{2**70}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_declaration_list_anonymous_is_refused(api_client):
    response = api_client.get(f"{API}declarations/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def _submitted_and_passed_once(world, applicant: User) -> Declaration:
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        declaration_type=DeclarationType.ADDITIONAL,
        category="district_public",
        **picks_for(world, "district_public"),
    )
    declaration = declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)
    declaration = publicise_and_release(declaration, world)
    return step_pass(declaration=declaration, actor=world.admin(world.unit), reason="材料齐全")


def _count_queries(client: APIClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_declaration_list_query_count_does_not_grow(world, applicant):
    client = token_client(applicant)
    _submitted_and_passed_once(world, applicant)
    one = _count_queries(client, f"{API}declarations/")

    for _ in range(19):
        _submitted_and_passed_once(world, applicant)
    twenty = _count_queries(client, f"{API}declarations/")

    assert one[1] == 1
    assert twenty[1] == 20
    assert twenty[0] == one[0]


def test_declaration_list_pages_by_fifty(world, applicant):
    DeclarationFactory.create_batch(51, campaign=world.campaign, applicant=applicant)
    client = token_client(applicant)

    first = client.get(f"{API}declarations/").json()
    second = client.get(f"{API}declarations/", {"page": 2}).json()

    assert len(first["results"]) == 50
    assert len(second["results"]) == 1
    assert first["count"] == 51


def test_declaration_list_with_bad_page_is_not_found(applicant):
    response = token_client(applicant).get(f"{API}declarations/", {"page": "x"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_declaration_detail_shows_decisions_to_applicant(world):
    applicant = UserFactory()
    declaration = _submitted_and_passed_once(world, applicant)

    body = token_client(applicant).get(f"{API}declarations/{declaration.pk}/").json()

    assert [(d["organisation"]["id"], d["kind"], d["reason"]) for d in body["decisions"]] == [
        (world.unit.pk, "pass", "材料齐全")
    ]
    assert body["current_organisation"]["id"] == world.district_department.pk
