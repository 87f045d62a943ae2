"""Bulk pass at a step (批量审核通过): each declaration on its own (R6.4, R6.5)."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from declarations.enums import State
from declarations.models import Declaration
from review.bulk import step_pass_many
from tests.factories import UserFactory
from tests.review.test_services import submitted

S = State
# Freelancers start at the personnel agency, a step without unit publicity (R4.5, R6.3).
FREELANCER = "freelancer"


def at_agency(world, n: int) -> list[Declaration]:  # type: ignore[no-untyped-def]
    return [submitted(world, UserFactory(), FREELANCER) for _ in range(n)]


def test_step_pass_many_passes_own_and_refuses_foreign(world):
    own = at_agency(world, 2)
    foreign = submitted(world, UserFactory(), "city_public")  # at the unit, not the agency

    results = step_pass_many(ids=[own[0].pk, foreign.pk, own[1].pk], actor=world.admin(world.agency))

    assert [(r.id, r.passed, r.code) for r in results] == [
        (own[0].pk, True, ""),
        (foreign.pk, False, "not_found"),
        (own[1].pk, True, ""),
    ]
    for d in own:
        row = Declaration.objects.get(pk=d.pk)
        assert (row.state, row.current_organisation_id) == (S.IN_REVIEW, world.district_hr.pk)
    assert Declaration.objects.get(pk=foreign.pk).current_organisation_id == world.unit.pk


def test_step_pass_many_refusal_of_one_keeps_the_others(world):
    own = at_agency(world, 2)
    admin = world.admin(world.agency)
    step_pass_many(ids=[own[0].pk], actor=admin)  # now at the district HR office, still visible

    results = step_pass_many(ids=[own[0].pk, own[1].pk], actor=admin)

    assert [(r.passed, r.code) for r in results] == [(False, "not_at_your_organisation"), (True, "")]


def test_bulk_pass_page_reports_passed_and_refused(client, world):
    own = at_agency(world, 2)
    foreign = submitted(world, UserFactory(), "city_public")
    client.force_login(world.admin(world.agency))

    response = client.post(
        reverse("review:bulk_pass"), {"ids": [own[0].pk, own[1].pk, foreign.pk]}
    )

    assert response.status_code == 302
    assert response.url == reverse("review:queue")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0] == "已批量审核通过 2 份申报。"
    assert len(texts) == 2
    assert f"申报编号 {foreign.pk}" in texts[1]


def test_bulk_pass_page_nothing_selected_shows_message(client, world):
    client.force_login(world.admin(world.agency))

    response = client.post(reverse("review:bulk_pass"), {})

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["请至少选择一份申报。"]


def test_queue_page_offers_checkboxes_and_bulk_button(client, world):
    d = at_agency(world, 1)[0]
    client.force_login(world.admin(world.agency))

    html = client.get(reverse("review:queue")).content.decode()

    assert f'name="ids" value="{d.pk}"' in html
    assert "批量审核通过" in html
    assert "<script" not in html


def test_bulk_pass_api_answers_per_id(api_client, world):
    own = at_agency(world, 2)
    foreign = submitted(world, UserFactory(), "city_public")
    api_client.force_authenticate(world.admin(world.agency))

    response = api_client.post(
        reverse("api:review-bulk-pass"), {"ids": [own[0].pk, foreign.pk, own[1].pk]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["passed"] == 2
    assert [(r["id"], r["passed"], r["code"]) for r in body["results"]] == [
        (own[0].pk, True, ""),
        (foreign.pk, False, "not_found"),
        (own[1].pk, True, ""),
    ]


def test_bulk_pass_api_empty_ids_answers_400(api_client, world):
    api_client.force_authenticate(world.admin(world.agency))

    response = api_client.post(reverse("api:review-bulk-pass"), {"ids": []}, format="json")

    assert response.status_code == 400
