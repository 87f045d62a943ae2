"""The review API: every chain of R4 driven over HTTP with tokens, decisions (R6), scoping."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.fields import DateTimeField
from rest_framework.test import APIClient

from accounts.models import User
from declarations.enums import DeclarationType, State
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.models import Decision
from review.services import step_pass
from tests.conftest import EXPECTED_ROUTES, picks_for, publicise_and_release
from tests.factories import UserFactory, make_eligible

API = "/api/v1/"
PASSWORD = "pass-1234-word"  # UserFactory's


class Clients:
    """One token-authenticated client per person, each token obtained from ``auth/token/``."""

    def __init__(self) -> None:
        self._clients: dict[int, APIClient] = {}

    def __call__(self, user: User) -> APIClient:
        if user.pk not in self._clients:
            client = APIClient()
            response = client.post(
                f"{API}auth/token/",
                {"username": user.username, "password": PASSWORD},
                format="json",
            )
            assert response.status_code == 200
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
            self._clients[user.pk] = client
        return self._clients[user.pk]


@pytest.fixture
def clients() -> Clients:
    return Clients()


def action(client: APIClient, declaration_id: int, name: str, body: dict | None = None):
    return client.post(f"{API}review/declarations/{declaration_id}/{name}/", body or {}, format="json")


def create_and_submit(world, clients: Clients, applicant: User, category: str) -> int:
    client = clients(applicant)
    data = {
        "campaign": world.campaign.pk,
        "level": "engineer",
        "field": "big_data",
        "category": category,
        **{slot: org.pk for slot, org in picks_for(world, category).items()},
    }
    created = client.post(f"{API}declarations/", data, format="json")
    assert created.status_code == 201
    declaration_id = created.json()["id"]
    make_eligible(Declaration.objects.get(pk=declaration_id))
    submitted = client.post(
        f"{API}declarations/{declaration_id}/submit/", {"integrity_accepted": True}, format="json"
    )
    assert submitted.status_code == 200
    return declaration_id


def pass_to_committee(world, clients: Clients, applicant: User, declaration_id: int) -> list[int]:
    """Let each organisation holding it pass it on; return the organisations in turn."""
    visited = []
    body = clients(applicant).get(f"{API}declarations/{declaration_id}/").json()
    while body["state"] == "in_review":
        org_id = body["current_organisation"]["id"]
        visited.append(org_id)
        admin = next(u for u in world.admins.values() if u.administered_organisation.pk == org_id)
        publicise_and_release(fresh(declaration_id), world)
        response = action(clients(admin), declaration_id, "pass", {"reason": "同意推荐"})
        assert response.status_code == 200, response.json()
        body = response.json()
    return visited


def at_committee(world, clients: Clients, applicant: User, category: str = "city_public") -> int:
    declaration_id = create_and_submit(world, clients, applicant, category)
    pass_to_committee(world, clients, applicant, declaration_id)
    return declaration_id


def fresh(declaration_id: int) -> Declaration:
    return Declaration.objects.get(pk=declaration_id)


# --- the six chains (R4.1 to R4.6) ---------------------------------------------------------


@pytest.mark.parametrize("category", sorted(EXPECTED_ROUTES))
def test_chain_over_api_reaches_committee_and_is_accepted(world, applicant, clients, category):
    declaration_id = create_and_submit(world, clients, applicant, category)
    expected = [getattr(world, attr).pk for attr in EXPECTED_ROUTES[category]]
    body = clients(applicant).get(f"{API}declarations/{declaration_id}/").json()
    assert [s["organisation"]["id"] for s in body["route"]] == expected

    visited = pass_to_committee(world, clients, applicant, declaration_id)

    assert visited == expected
    declaration = fresh(declaration_id)
    assert declaration.state == State.COMMITTEE_CHECK
    assert declaration.current_organisation == world.committee_host
    assert declaration.committee_submissions == 1
    host = clients(world.admin(world.committee_host))
    queued = host.get(f"{API}review/queue/").json()
    assert [d["id"] for d in queued["results"]] == [declaration_id]
    entry = queued["results"][0]
    assert (entry["state"], entry["current_step"], entry["deadline"]) == ("committee_check", None, None)
    assert host.get(entry["url"]).json()["allowed_actions"] == ["accept", "not_accept", "committee_return"]

    response = action(host, declaration_id, "accept", {"reason": "材料齐全，予以受理"})

    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    assert fresh(declaration_id).state == State.ACCEPTED
    assert [d["kind"] for d in response.json()["decisions"]] == ["pass"] * len(expected) + ["accept"]


def test_applicant_sees_each_step_with_its_contact(world, applicant, clients):
    # R5.3: progress and the current organisation's contact person and phone.
    declaration_id = create_and_submit(world, clients, applicant, "city_public")
    publicise_and_release(fresh(declaration_id), world)
    action(clients(world.admin(world.unit)), declaration_id, "pass")

    body = clients(applicant).get(f"{API}declarations/{declaration_id}/").json()

    assert body["current_organisation"]["contact_person"] == world.city_department.contact_person
    assert body["current_organisation"]["contact_phone"] == world.city_department.contact_phone
    assert [s["is_current"] for s in body["route"]] == [False, True]


# --- return, resubmit, refuse (R6.1) ---------------------------------------------------------


def test_return_with_defects_then_resubmit_comes_back_to_same_organisation(world, applicant, clients):
    declaration_id = create_and_submit(world, clients, applicant, "district_public")
    publicise_and_release(fresh(declaration_id), world)
    action(clients(world.admin(world.unit)), declaration_id, "pass")
    department = clients(world.admin(world.district_department))

    returned = action(
        department,
        declaration_id,
        "return",
        {"defects": ["缺少继续教育证明", "业绩材料未盖章"], "reason": "请补正"},
    )

    assert returned.status_code == 200
    assert returned.json()["state"] == "returned"
    assert returned.json()["decisions"][-1]["defects"] == ["缺少继续教育证明", "业绩材料未盖章"]
    assert clients(applicant).get(f"{API}declarations/{declaration_id}/").json()["allowed_actions"] == [
        "resubmit",
        "withdraw",
    ]

    resubmitted = clients(applicant).post(f"{API}declarations/{declaration_id}/resubmit/")

    assert resubmitted.status_code == 200
    declaration = fresh(declaration_id)
    assert declaration.state == State.IN_REVIEW
    assert declaration.current_organisation == world.district_department
    assert declaration.current_step == 1
    assert [d["id"] for d in department.get(f"{API}review/queue/").json()["results"]] == [declaration_id]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"defects": []}, "defects_required", "defects"),
        ({"defects": ["  "]}, "defects_required", "defects"),
        ({}, "required", "defects"),
        ({"defects": "缺少材料"}, "not_a_list", "defects"),
        ({"defects": [{"x": 1}]}, "invalid", "defects.0"),
    ],
)
def test_return_without_defects_is_refused(world, applicant, clients, body, code, field):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")

    response = action(clients(world.admin(world.unit)), declaration_id, "return", body)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["field"] == field
    assert fresh(declaration_id).state == State.IN_REVIEW
    assert Decision.objects.filter(declaration_id=declaration_id).count() == 0


def test_refuse_ends_as_not_recommended(world, applicant, clients):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")

    response = action(
        clients(world.admin(world.unit)), declaration_id, "refuse", {"reason": "不符合申报条件"}
    )

    assert response.status_code == 200
    assert response.json()["state"] == "not_recommended"
    assert response.json()["decisions"][-1]["reason"] == "不符合申报条件"
    assert fresh(declaration_id).state == State.NOT_RECOMMENDED
    body = clients(applicant).get(f"{API}declarations/{declaration_id}/").json()
    assert body["allowed_actions"] == []


@pytest.mark.parametrize(("body", "code"), [({"reason": " "}, "reason_required"), ({}, "required")])
def test_refuse_without_reason_is_refused(world, applicant, clients, body, code):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")

    response = action(clients(world.admin(world.unit)), declaration_id, "refuse", body)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert fresh(declaration_id).state == State.IN_REVIEW


# --- the committee host's check (R6.6) ------------------------------------------------------


def test_committee_not_accept_records_reason(world, applicant, clients):
    declaration_id = at_committee(world, clients, applicant)

    response = action(
        clients(world.admin(world.committee_host)),
        declaration_id,
        "not-accept",
        {"reason_code": "out_of_scope", "reason": "非数字技术领域"},
    )

    assert response.status_code == 200
    assert response.json()["state"] == "not_accepted"
    decision = response.json()["decisions"][-1]
    assert decision["kind"] == "not_accept"
    assert decision["reason"] == "不属于本评委会评审范围：非数字技术领域"
    assert fresh(declaration_id).state == State.NOT_ACCEPTED


def test_committee_not_accept_with_unknown_reason_code_is_refused(world, applicant, clients):
    declaration_id = at_committee(world, clients, applicant)

    response = action(
        clients(world.admin(world.committee_host)),
        declaration_id,
        "not-accept",
        {"reason_code": "dislike"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"
    assert response.json()["field"] == "reason_code"
    assert fresh(declaration_id).state == State.COMMITTEE_CHECK


def test_committee_return_goes_back_to_committee_and_third_failure_terminates(world, applicant, clients):
    declaration_id = at_committee(world, clients, applicant)
    host = clients(world.admin(world.committee_host))
    me = clients(applicant)

    for submission in (1, 2):
        returned = action(
            host, declaration_id, "committee-return", {"defects": [f"第{submission}次：缺少论文检索证明"]}
        )
        assert returned.status_code == 200
        assert returned.json()["state"] == "returned"
        resubmitted = me.post(f"{API}declarations/{declaration_id}/resubmit/")
        assert resubmitted.status_code == 200
        # A committee return goes straight back to the committee host, counted (R6.6).
        assert resubmitted.json()["state"] == "committee_check"
        assert resubmitted.json()["current_organisation"]["id"] == world.committee_host.pk
        assert resubmitted.json()["committee_submissions"] == submission + 1

    response = action(host, declaration_id, "committee-return", {"defects": ["仍缺少论文检索证明"]})

    assert response.status_code == 200
    assert response.json()["state"] == "terminated"
    declaration = fresh(declaration_id)
    assert declaration.state == State.TERMINATED
    assert declaration.committee_submissions == 3
    again = me.post(f"{API}declarations/{declaration_id}/resubmit/")
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"


# --- refusals on visible declarations: 403 and 409 ------------------------------------------


def test_pass_at_committee_is_illegal_transition(world, applicant, clients):
    declaration_id = at_committee(world, clients, applicant)

    for admin in (world.admin(world.city_department), world.admin(world.committee_host)):
        response = action(clients(admin), declaration_id, "pass")

        assert response.status_code == 409
        assert response.json()["code"] == "illegal_transition"
    declaration = fresh(declaration_id)
    assert declaration.state == State.COMMITTEE_CHECK
    assert declaration.committee_submissions == 1


def test_accept_while_in_review_is_illegal_transition(world, applicant, clients):
    at_committee(world, clients, UserFactory())  # the host now sees declarations of this campaign
    declaration_id = create_and_submit(world, clients, applicant, "city_public")

    response = action(clients(world.admin(world.unit)), declaration_id, "accept")

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert fresh(declaration_id).state == State.IN_REVIEW


def test_pass_by_previous_step_is_refused(world, applicant, clients):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")
    unit = clients(world.admin(world.unit))
    publicise_and_release(fresh(declaration_id), world)
    action(unit, declaration_id, "pass")

    response = action(unit, declaration_id, "pass")

    assert response.status_code == 403
    assert response.json()["code"] == "not_at_your_organisation"
    assert fresh(declaration_id).current_organisation == world.city_department


def test_pass_by_applicant_is_refused(world, applicant, clients):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")

    response = action(clients(applicant), declaration_id, "pass")

    assert response.status_code == 403
    assert fresh(declaration_id).current_organisation == world.unit


def test_resubmit_by_reviewer_is_refused(world, applicant, clients):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")
    unit = clients(world.admin(world.unit))
    action(unit, declaration_id, "return", {"defects": ["缺少学历证书"]})

    response = unit.post(f"{API}declarations/{declaration_id}/resubmit/")

    assert response.status_code == 403
    assert response.json()["code"] == "not_applicant"
    assert fresh(declaration_id).state == State.RETURNED


# --- scoping: what one may not see answers 404 and is never listed ----------------------------

EVERY_ACTION = [
    ("get", "declarations/{id}/", None),
    ("patch", "declarations/{id}/", {"level": "senior_engineer"}),
    ("post", "declarations/{id}/submit/", {"integrity_accepted": True}),
    ("post", "declarations/{id}/resubmit/", {}),
    ("post", "declarations/{id}/withdraw/", {"reason": "x"}),
    ("post", "review/declarations/{id}/pass/", {"reason": "x"}),
    ("post", "review/declarations/{id}/return/", {"defects": ["x"]}),
    ("post", "review/declarations/{id}/refuse/", {"reason": "x"}),
    ("post", "review/declarations/{id}/accept/", {"reason": "x"}),
    ("post", "review/declarations/{id}/not-accept/", {"reason_code": "not_eligible"}),
    ("post", "review/declarations/{id}/committee-return/", {"defects": ["x"]}),
]


def _assert_not_found_everywhere(client: APIClient, declaration_id: int) -> None:
    for method, path, body in EVERY_ACTION:
        url = API + path.format(id=declaration_id)
        response = getattr(client, method)(url, body, format="json") if body is not None else client.get(url)
        assert (method, path, response.status_code) == (method, path, 404)
        assert set(response.json()) == {"code", "detail"}
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("outsider", ["other_district_hr", "committee_host", "other_applicant"])
def test_outsiders_get_not_found_on_every_action_and_empty_lists(world, applicant, clients, outsider):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")
    before = fresh(declaration_id)
    user = UserFactory() if outsider == "other_applicant" else world.admin(getattr(world, outsider))
    client = clients(user)

    _assert_not_found_everywhere(client, declaration_id)

    assert client.get(f"{API}declarations/").json()["count"] == 0
    assert client.get(f"{API}review/queue/").json()["count"] == 0
    after = fresh(declaration_id)
    assert (after.state, after.current_organisation_id, after.level) == (
        before.state,
        before.current_organisation_id,
        before.level,
    )


def test_draft_is_not_found_for_the_organisations_it_names(world, applicant, clients):
    client = clients(applicant)
    data = {"campaign": world.campaign.pk, "category": "city_public", "unit": world.unit.pk}
    declaration_id = client.post(f"{API}declarations/", data, format="json").json()["id"]

    _assert_not_found_everywhere(clients(world.admin(world.unit)), declaration_id)
    assert fresh(declaration_id).state == State.DRAFT


def test_later_organisation_does_not_see_it_before_it_arrives_in_queue(world, applicant, clients):
    declaration_id = create_and_submit(world, clients, applicant, "city_public")
    department = clients(world.admin(world.city_department))

    assert department.get(f"{API}review/queue/").json()["count"] == 0

    publicise_and_release(fresh(declaration_id), world)
    action(clients(world.admin(world.unit)), declaration_id, "pass")

    assert [d["id"] for d in department.get(f"{API}review/queue/").json()["results"]] == [declaration_id]


# --- the queue ------------------------------------------------------------------------------


def test_queue_of_person_without_organisation_is_empty(world, applicant, clients):
    create_and_submit(world, clients, UserFactory(), "city_public")

    response = clients(applicant).get(f"{API}review/queue/")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def _waiting_at_department(world) -> Declaration:
    applicant = UserFactory()
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
    return step_pass(declaration=declaration, actor=world.admin(world.unit), reason="同意")


def _count_queries(client: APIClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_queue_query_count_does_not_grow(world, clients):
    department = clients(world.admin(world.district_department))
    _waiting_at_department(world)
    one = _count_queries(department, f"{API}review/queue/")

    for _ in range(19):
        _waiting_at_department(world)
    twenty = _count_queries(department, f"{API}review/queue/")

    assert one[1] == 1
    assert twenty[1] == 20
    assert twenty[0] == one[0]


def test_queue_lists_what_waits_and_links_to_the_full_declaration(world, clients):
    waiting = _waiting_at_department(world)
    client = clients(world.admin(world.district_department))

    body = client.get(f"{API}review/queue/").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert [d["id"] for d in body["results"]] == [waiting.pk]
    item = body["results"][0]
    assert item["applicant"] == {"id": waiting.applicant_id, "real_name": waiting.applicant.real_name}
    assert item["campaign"]["id"] == waiting.campaign_id
    assert (item["level"], item["level_display"]) == ("engineer", "工程师")
    assert item["category_display"] == waiting.get_category_display()
    assert item["chain"]["code"] == waiting.chain.code
    assert (item["state"], item["state_display"]) == ("in_review", waiting.get_state_display())
    assert item["current_step"] == 1
    assert item["page_url"] == waiting.get_absolute_url()
    full = client.get(item["url"]).json()
    assert full["allowed_actions"] == ["pass", "return", "refuse"]
    assert full["route"][1]["is_current"] is True
    # The queue entry is a summary of the full declaration, with the same values.
    for key in ("id", "applicant", "level_display", "field_display", "category_display", "state",
                "state_display", "submitted_at", "committee_submissions"):
        assert item[key] == full[key], key
    assert item["arrived_at"] == full["state_changed_at"]
    assert item["deadline"] == DateTimeField().to_representation(waiting.campaign.chain_deadline)
    assert "allowed_actions" not in item and "route" not in item


def test_queue_entry_has_exactly_its_declared_fields(world, clients):
    # The entry is built by hand for speed (QueueItemOutputSerializer.represent); the schema
    # comes from the declared fields: they must not drift apart.
    from review.api.serializers import QueueItemOutputSerializer

    _waiting_at_department(world)
    body = clients(world.admin(world.district_department)).get(f"{API}review/queue/").json()

    assert list(body["results"][0]) == list(QueueItemOutputSerializer().fields)
