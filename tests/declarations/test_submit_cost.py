"""What a submission costs (docs/benchmarks.md): its content is read once, its answer is
built from what it loaded, and neither grows with the declaration's content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declarations.achievements import achievements_refusal_for_submit
from declarations.eligibility import declaration_eligibility
from declarations.enums import EducationLevel
from declarations.enums import SharedDataKind as K
from declarations.enums import SharedDataStatus as St
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    Declaration,
    EducationRecord,
    Payment,
    SharedDataCheck,
    SocialInsuranceRecord,
    WorkRecord,
)
from declarations.payments import payment_open
from declarations.shareddata.checks import COMPARERS, kinds_for
from declarations.shareddata.services import shared_data_reverify
from declarations.versions import load_content, version_snapshot
from tests.declarations.material_helpers import draft, patent
from tests.declarations.test_api import API, token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def with_content(declaration: Declaration, applicant, achievements: int) -> Declaration:  # type: ignore[no-untyped-def]
    """Every content section filled in, and ``achievements`` patents with their evidence."""
    ApplicantStatus.objects.create(
        declaration=declaration, archive_agency="重庆市人才交流服务中心",
        archive_since=dt.date(2015, 3, 1),
    )
    CurrentTitle.objects.create(
        declaration=declaration, level="assistant_engineer", specialty="大数据",
        obtained_on=dt.date(2016, 12, 31),
    )
    EducationRecord.objects.create(
        declaration=declaration, level=EducationLevel.MASTER, school="重庆大学", major="软件工程",
        graduated_on=dt.date(2012, 7, 1),
    )
    EducationRecord.objects.create(
        declaration=declaration, level=EducationLevel.BACHELOR, school="西南大学", major="计算机",
        graduated_on=dt.date(2009, 7, 1),
    )
    WorkRecord.objects.create(
        declaration=declaration, started_on=dt.date(2012, 8, 1), employer="重庆某数据科技有限公司",
        post="工程师",
    )
    SocialInsuranceRecord.objects.create(
        declaration=declaration, start_month=dt.date(2012, 8, 1), employer="重庆某数据科技有限公司",
        paid_in_chongqing=True,
    )
    for i in range(achievements):
        patent(declaration, applicant, obtained_on=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    return declaration


def submit_through_api(applicant, declaration: Declaration):  # type: ignore[no-untyped-def]
    client = token_client(applicant)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"{API}declarations/{declaration.pk}/submit/", {"integrity_accepted": True}, format="json"
        )
    assert response.status_code == 200, response.content
    return response, len(ctx.captured_queries), client


def test_submit_queries_do_not_grow_with_achievements(world, applicant):
    other = UserFactory()
    one = with_content(draft(world, applicant), applicant, achievements=1)
    ten = with_content(draft(world, other), other, achievements=10)

    _response, queries_one, _client = submit_through_api(applicant, one)
    _response, queries_ten, _client = submit_through_api(other, ten)

    assert queries_one == queries_ten
    # The whole request: token, lookup, locks, R1.3/R2.4, content (one query), chain,
    # picks, R1.2 sanctions, R2.2 rules, route, fee, shared data, version, audit,
    # notification. It was 50 before the content was read once (docs/benchmarks.md).
    assert queries_ten <= 26


def test_submit_answer_is_the_declaration_as_read_afterwards(world, applicant):
    declaration = with_content(draft(world, applicant), applicant, achievements=2)

    response, _queries, client = submit_through_api(applicant, declaration)

    assert response.json() == client.get(f"{API}declarations/{declaration.pk}/").json()


def test_loaded_content_reads_the_same_as_queries_without_any(world, applicant):
    declaration = with_content(draft(world, applicant), applicant, achievements=3)
    # One achievement obtained before the current title (not counted, R2.5) and one
    # counted without evidence (R8.6): the refusal names the latter.
    patent(declaration, applicant, obtained_on=dt.date(2015, 6, 1), with_evidence=False)
    patent(declaration, applicant, obtained_on=dt.date(2021, 6, 1), with_evidence=False)
    fresh = Declaration.objects.get(pk=declaration.pk)
    loaded = Declaration.objects.select_related("campaign", "applicant").get(pk=declaration.pk)
    load_content(loaded)

    with CaptureQueriesContext(connection) as ctx:
        snapshot = version_snapshot(loaded)
        refusal = achievements_refusal_for_submit(loaded)
        outcomes = [COMPARERS[kind](loaded, None) for kind in kinds_for(loaded)]
    # The organisation picks are not content (the submission loads them with the route).
    content_queries = [q["sql"] for q in ctx.captured_queries if "accounts_" not in q["sql"]]

    assert content_queries == []
    assert snapshot == version_snapshot(fresh)
    assert refusal is not None and refusal.code == "achievement_evidence_missing"
    assert refusal.message == achievements_refusal_for_submit(fresh).message  # type: ignore[union-attr]
    assert outcomes == [COMPARERS[kind](fresh, None) for kind in kinds_for(fresh)]
    assert declaration_eligibility(loaded) == declaration_eligibility(fresh)


def test_submit_refuses_counted_achievement_without_evidence(world, applicant):
    declaration = with_content(draft(world, applicant), applicant, achievements=1)
    patent(declaration, applicant, obtained_on=dt.date(2022, 6, 1), with_evidence=False)

    client = token_client(applicant)
    response = client.post(
        f"{API}declarations/{declaration.pk}/submit/", {"integrity_accepted": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "achievement_evidence_missing"
    assert Declaration.objects.get(pk=declaration.pk).state == "draft"


def test_submit_updates_checks_of_a_reverify_made_in_the_draft(world, applicant):
    declaration = with_content(draft(world, applicant), applicant, achievements=0)
    shared_data_reverify(declaration=declaration, actor=applicant)
    before = dict(SharedDataCheck.objects.filter(declaration=declaration).values_list("kind", "pk"))

    submit_through_api(applicant, declaration)

    after = SharedDataCheck.objects.filter(declaration=declaration)
    assert dict(after.values_list("kind", "pk")) == before  # the same rows, checked again
    assert after.get(kind=K.PERSONAL_DATA).status == St.NOT_FOUND


def test_payment_open_keeps_an_opened_payment(world, applicant):
    declaration = draft(world, applicant)
    payment_open(declaration=declaration)
    Payment.objects.filter(declaration=declaration).update(amount="1.00")

    payment_open(declaration=declaration)

    assert list(Payment.objects.filter(declaration=declaration).values_list("amount", flat=True)) == [
        pytest.approx(1)
    ]


def test_loading_without_postgresql_reads_the_same_rows(world, applicant, monkeypatch):
    """``make run`` serves an embedded SQLite, which has no row_to_json: ``load_rows``
    then reads each model on its own, with the same WHERE clauses and the same result."""
    from declarations import versions

    declaration = with_content(draft(world, applicant), applicant, achievements=3)
    loaded = Declaration.objects.select_related("campaign", "applicant").get(pk=declaration.pk)
    load_content(loaded)
    portable = Declaration.objects.select_related("campaign", "applicant").get(pk=declaration.pk)
    monkeypatch.setattr(versions, "_postgresql", lambda: False)
    load_content(portable)

    assert version_snapshot(portable) == version_snapshot(loaded)
    assert declaration_eligibility(portable) == declaration_eligibility(loaded)


def test_submit_without_postgresql_submits(world, applicant, monkeypatch):
    from declarations import versions

    declaration = with_content(draft(world, applicant), applicant, achievements=1)
    monkeypatch.setattr(versions, "_postgresql", lambda: False)

    response, _queries, _client = submit_through_api(applicant, declaration)

    assert response.status_code == 200, response.content
    assert Declaration.objects.get(pk=declaration.pk).state == "in_review"
