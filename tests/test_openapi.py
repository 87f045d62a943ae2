"""The OpenAPI schema: generated without warnings, valid, listing every action the pages offer."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

# Every page of the platform (URL name) and the API operations that do what it does, so a
# client can do through the API whatever a person can do in the browser. A new page must
# be added here (test_every_page_has_its_endpoints); the mapped operations must exist.
PAGE_ENDPOINTS: dict[str, set[tuple[str, str]]] = {
    "accounts:register": {("/api/v1/accounts/register/", "post")},
    "accounts:organisation_list": {("/api/v1/organisations/", "get")},
    "accounts:organisation_register": {("/api/v1/organisations/", "post")},
    "core:home": {("/api/v1/accounts/me/", "get"), ("/api/v1/dashboard/", "get")},
    "core:inbox": {("/api/v1/notifications/", "get")},
    "core:notification_read": {("/api/v1/notifications/{id}/read/", "post")},
    "declarations:list": {("/api/v1/declarations/", "get"), ("/api/v1/campaigns/", "get")},
    "declarations:create": {("/api/v1/declarations/", "post")},
    "declarations:detail": {
        ("/api/v1/declarations/{id}/", "get"),
        ("/api/v1/declarations/{id}/eligibility/", "get"),
        ("/api/v1/declarations/{id}/versions/", "get"),
        ("/api/v1/declarations/{id}/versions/{number}/", "get"),
        ("/api/v1/declarations/{id}/versions/diff/", "get"),
        ("/api/v1/declarations/{id}/shared-data/", "get"),
        ("/api/v1/declarations/{id}/payment/", "get"),
    },
    "declarations:edit": {("/api/v1/declarations/{id}/", "patch")},
    "declarations:submit": {("/api/v1/declarations/{id}/submit/", "post")},
    "declarations:resubmit": {("/api/v1/declarations/{id}/resubmit/", "post")},
    "declarations:withdraw": {("/api/v1/declarations/{id}/withdraw/", "post")},
    "declarations:remind": {("/api/v1/declarations/{id}/remind/", "post")},
    "declarations:achievement_create": {
        ("/api/v1/declarations/{id}/achievements/", "get"),
        ("/api/v1/declarations/{id}/achievements/", "post"),
    },
    "declarations:achievement_edit": {("/api/v1/declarations/{id}/achievements/{achievement_pk}/", "patch")},
    "declarations:achievement_delete": {
        ("/api/v1/declarations/{id}/achievements/{achievement_pk}/", "delete")
    },
    "declarations:evidence_upload": {
        ("/api/v1/declarations/{id}/evidence/", "get"),
        ("/api/v1/declarations/{id}/evidence/", "post"),
    },
    "declarations:evidence_download": {("/api/v1/declarations/{id}/evidence/{evidence_pk}/download/", "get")},
    "declarations:evidence_delete": {("/api/v1/declarations/{id}/evidence/{evidence_pk}/", "delete")},
    "declarations:payment_confirm": {("/api/v1/declarations/{id}/payment/confirm/", "post")},
    "declarations:shared_data_verify": {("/api/v1/declarations/{id}/shared-data/verify/", "post")},
    "declarations:shared_data_confirm": {("/api/v1/declarations/{id}/shared-data/{kind}/confirm/", "post")},
    "declarations:content": {
        ("/api/v1/declarations/{id}/content/", "get"),
        ("/api/v1/declarations/{id}/education/", "get"),
        ("/api/v1/declarations/{id}/work-history/", "get"),
        ("/api/v1/declarations/{id}/social-insurance/", "get"),
    },
    "declarations:content_status": {("/api/v1/declarations/{id}/applicant-status/", "put")},
    "declarations:content_title": {("/api/v1/declarations/{id}/current-title/", "put")},
    "declarations:content_row_add": {
        ("/api/v1/declarations/{id}/education/", "post"),
        ("/api/v1/declarations/{id}/work-history/", "post"),
        ("/api/v1/declarations/{id}/social-insurance/", "post"),
    },
    "declarations:content_row_edit": {
        ("/api/v1/declarations/{id}/education/{row_id}/", "patch"),
        ("/api/v1/declarations/{id}/work-history/{row_id}/", "patch"),
        ("/api/v1/declarations/{id}/social-insurance/{row_id}/", "patch"),
    },
    "declarations:content_row_delete": {
        ("/api/v1/declarations/{id}/education/{row_id}/", "delete"),
        ("/api/v1/declarations/{id}/work-history/{row_id}/", "delete"),
        ("/api/v1/declarations/{id}/social-insurance/{row_id}/", "delete"),
    },
    "review:queue": {("/api/v1/review/queue/", "get")},
    "review:bulk_pass": {("/api/v1/review/bulk-pass/", "post")},
    "review:decide": {
        ("/api/v1/review/declarations/{id}/pass/", "post"),
        ("/api/v1/review/declarations/{id}/return/", "post"),
        ("/api/v1/review/declarations/{id}/refuse/", "post"),
    },
    "review:committee_decide": {
        ("/api/v1/review/declarations/{id}/accept/", "post"),
        ("/api/v1/review/declarations/{id}/not-accept/", "post"),
        ("/api/v1/review/declarations/{id}/committee-return/", "post"),
    },
    "review:publicity_list": {("/api/v1/review/publicity/batches/", "get")},
    "review:publicity_publish": {("/api/v1/review/publicity/batches/", "post")},
    "review:publicity_detail": {("/api/v1/review/publicity/batches/{id}/", "get")},
    "review:complaint_resolve": {("/api/v1/review/publicity/complaints/{id}/resolve/", "post")},
    "review:unit_conditions": {
        ("/api/v1/review/unit-conditions/", "get"),
        ("/api/v1/review/unit-conditions/", "post"),
    },
    "review:unit_condition_delete": {("/api/v1/review/unit-conditions/{id}/", "delete")},
    "public:publicity_list": {("/api/v1/publicity/", "get")},
    "public:publicity_detail": {
        ("/api/v1/publicity/{id}/", "get"),
        ("/api/v1/publicity/complaints/", "post"),
    },
    "public:publicity_pdf": {("/api/v1/publicity/{id}/entries/{entry_pk}/pdf/", "get")},
    "committees:list": {("/api/v1/committees/", "get")},
    "committees:detail": {
        ("/api/v1/committees/{id}/", "get"),
        ("/api/v1/meetings/", "get"),
        ("/api/v1/committees/{id}/meetings/", "post"),
    },
    "committees:experts": {("/api/v1/committees/experts/", "get")},
    "committees:my": {("/api/v1/committees/my/", "get")},
    "committees:meeting": {("/api/v1/meetings/{id}/", "get"), ("/api/v1/meetings/{id}/draw/", "get")},
    "committees:candidate_add": {("/api/v1/meetings/{id}/candidates/", "post")},
    "committees:candidate_remove": {("/api/v1/meetings/{id}/candidates/{candidate_pk}/", "delete")},
    "committees:draw": {("/api/v1/meetings/{id}/draw/", "post")},
    "committees:attendance": {("/api/v1/meetings/{id}/attendance/", "post")},
    "committees:presiding": {("/api/v1/meetings/{id}/presiding/", "post")},
    "committees:officer_add": {("/api/v1/meetings/{id}/officers/", "post")},
    "committees:recusal_add": {("/api/v1/meetings/{id}/recusals/", "post")},
    "committees:open_voting": {("/api/v1/meetings/{id}/open-voting/", "post")},
    "committees:respond": {("/api/v1/draw-entries/{id}/respond/", "post")},
    "committees:sign_in": {("/api/v1/meeting-seats/{id}/sign-in/", "post")},
    "committees:vote": {("/api/v1/meetings/{id}/", "get")},
    "committees:vote_cast": {("/api/v1/meetings/{id}/candidates/{candidate_pk}/ballot/", "post")},
    "committees:opinion": {("/api/v1/meetings/{id}/candidates/{candidate_pk}/opinion/", "post")},
    "committees:conflict": {("/api/v1/meetings/{id}/candidates/{candidate_pk}/conflict/", "post")},
    "committees:close_voting": {("/api/v1/meetings/{id}/close-voting/", "post")},
    "committees:sign": {("/api/v1/meetings/{id}/sign/", "post")},
    "committees:results": {("/api/v1/meetings/{id}/results/", "get")},
    "committees:tally": {("/api/v1/meetings/{id}/candidates/{candidate_pk}/tally/", "post")},
    "committees:terminate": {("/api/v1/meetings/{id}/candidates/{candidate_pk}/terminate/", "post")},
    "committees:minutes": {("/api/v1/meetings/{id}/minutes/", "get")},
    "committees:outcome_list": {("/api/v1/outcomes/", "get")},
    "committees:outcomes": {("/api/v1/meetings/{id}/outcomes/", "get")},
    "committees:review_report_submit": {("/api/v1/meetings/{id}/review-report/", "post")},
    "committees:review_report_download": {("/api/v1/meetings/{id}/review-report/pdf/", "get")},
    "committees:results_publish": {("/api/v1/meetings/{id}/results-publicity/", "post")},
    "committees:confirmation_draft": {("/api/v1/meetings/{id}/confirmations/", "post")},
    "committees:results_complaint_resolve": {("/api/v1/results-complaints/{id}/resolve/", "post")},
    "committees:confirmation_detail": {("/api/v1/confirmations/{id}/", "get")},
    "committees:confirmation_issue": {("/api/v1/confirmations/{id}/issue/", "post")},
    "committees:results_public_list": {("/api/v1/results-publicity/", "get")},
    "committees:results_public_detail": {
        ("/api/v1/results-publicity/{id}/", "get"),
        ("/api/v1/results-complaints/", "post"),
    },
    "certificates:list": {("/api/v1/certificates/", "get")},
    "certificates:detail": {("/api/v1/certificates/{id}/", "get")},
    "certificates:download": {("/api/v1/certificates/{id}/pdf/", "get")},
    "certificates:revoke": {("/api/v1/certificates/{id}/revoke/", "post")},
    "certificates:review_form_download": {("/api/v1/review-forms/{id}/pdf/", "get")},
    "certificates:declaration": {("/api/v1/declarations/{id}/documents/", "get")},
    "certificates:declaration_issue": {("/api/v1/declarations/{id}/documents/", "post")},
    "certificates:meeting": {("/api/v1/meetings/{id}/document-batches/", "get")},
    "certificates:batch_start": {("/api/v1/meetings/{id}/document-batches/", "post")},
    "certificates:batch": {("/api/v1/document-batches/{id}/", "get")},
    "certificates:batch_progress": {("/api/v1/document-batches/{id}/", "get")},
    "verify:lookup": {("/api/v1/verify/", "get")},
    "verify:certificate": {("/api/v1/verify/{token}/", "get")},
    "reports:index": {("/api/v1/dashboard/", "get"), ("/api/v1/campaigns/{id}/statistics/", "get")},
    "reports:publicity_export": {("/api/v1/exports/publicity/{id}/", "get")},
    "reports:acceptance_export": {("/api/v1/exports/campaigns/{id}/acceptance/", "get")},
    "reports:statistics_export": {("/api/v1/exports/campaigns/{id}/statistics/", "get")},
    "reports:meeting_results_export": {("/api/v1/exports/meetings/{id}/results/", "get")},
    "reports:certificate_record_export": {("/api/v1/exports/campaigns/{id}/certificate-numbers/", "get")},
}

# Pages with no API operation by design: the session login and logout (the API uses
# tokens, POST /api/v1/auth/token/), the language switch, health probes and the API's
# own schema and docs.
NOT_ACTIONS = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    "healthz",
    "healthz-live",
    "api-schema",
    "api-docs",
    "api-redoc",
}

ACTIONS: dict[str, set[str]] = {"/api/v1/auth/token/": {"post"}}
for _operations in PAGE_ENDPOINTS.values():
    for _path, _method in _operations:
        ACTIONS.setdefault(_path, set()).add(_method)
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema() -> dict:
    GENERATOR_STATS.reset()
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_generates_without_warnings(schema):
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}


def test_schema_command_with_fail_on_warn_passes(tmp_path):
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert yaml.safe_load(target.read_text())["openapi"].startswith("3.")


def _page_url_names() -> set[str]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace: str = ""):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or str(p.pattern).startswith("api/"):
                    continue
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name:
                yield namespace + p.name

    return set(walk(get_resolver().url_patterns))


def test_every_page_has_its_endpoints():
    pages = _page_url_names()

    assert pages - set(PAGE_ENDPOINTS) - NOT_ACTIONS == set()
    assert set(PAGE_ENDPOINTS) - pages == set()


def test_every_operation_documents_its_refusals(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            refusals = {code for code in operation["responses"] if code.startswith("4")}
            assert refusals, (path, method)
            for code in refusals:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, method, code)


def test_schema_lists_every_action(schema):
    listed = {
        path: {m for m in item if m in HTTP_METHODS}
        for path, item in schema["paths"].items()
        if path in ACTIONS
    }

    assert listed == ACTIONS


def test_schema_documents_errors_of_every_action(schema):
    for path, methods in ACTIONS.items():
        for method in methods:
            responses = schema["paths"][path][method]["responses"]
            refusals = {code for code in responses if code.startswith("4")}
            assert refusals, (path, method)
            for code in refusals:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"


def test_schema_documents_review_action_refusals(schema):
    for path in ACTIONS:
        if path.startswith("/api/v1/review/declarations/"):
            assert set(schema["paths"][path]["post"]["responses"]) == {"200", "400", "403", "404", "409"}


def test_queue_is_documented_as_paginated_queue_entries(schema):
    # The queue lists light entries (review.api.serializers.QueueItemOutputSerializer);
    # the full declaration, with its route and allowed actions, is at each entry's url.
    ok = schema["paths"]["/api/v1/review/queue/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][
        ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["items"]["$ref"] == "#/components/schemas/QueueItemOutput"
    entry = schema["components"]["schemas"]["QueueItemOutput"]["properties"]
    expected = {"id", "applicant", "state", "current_step", "arrived_at", "deadline", "url", "page_url"}
    assert expected <= set(entry)
    assert "allowed_actions" not in entry and "route" not in entry


@pytest.mark.django_db
def test_schema_endpoint_serves_the_schema(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/declarations/{id}/submit/" in response.json()["paths"]


@pytest.mark.django_db
def test_docs_are_served_from_own_static_files(api_client):
    response = api_client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html
    assert "unpkg" not in html


# --- the endpoints added for completeness: they answer, and stay inside the caller's scope ---


@pytest.mark.django_db
def test_meeting_candidate_remove_endpoint(api_client):
    from django.urls import reverse

    from tests.committees.factories import accepted_declaration, meeting_make, setup_make

    s = setup_make()
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    candidate = meeting.candidates.get()
    url = reverse("api:meeting-candidate-remove", args=[meeting.pk, candidate.pk])

    api_client.force_authenticate(setup_make().staff)
    assert api_client.delete(url).status_code == 404
    api_client.force_authenticate(s.staff)
    assert (
        api_client.delete(reverse("api:meeting-candidate-remove", args=[meeting.pk, 999999])).status_code
        == 404
    )
    response = api_client.delete(url)

    assert response.status_code == 200
    assert response.data["candidates"] == []
    assert api_client.delete(url).status_code == 404


@pytest.mark.django_db
def test_committee_detail_meeting_list_and_my_invitations(api_client):
    from django.urls import reverse

    from committees import services
    from tests.committees.factories import accepted_declaration, expert_add, meeting_make, setup_make

    s = setup_make()
    experts = [expert_add(s.committee, login=True) for _ in range(3)]
    meeting = meeting_make(s, declarations=[accepted_declaration(s.campaign)])
    services.draw_perform(meeting=meeting, needed=2, drawn=3, actor=s.staff)
    other = setup_make()

    api_client.force_authenticate(s.staff)
    assert (
        api_client.get(reverse("api:committee-detail", args=[s.committee.pk])).data["name"]
        == s.committee.name
    )
    listed = api_client.get(reverse("api:meeting-list"), {"committee": s.committee.pk}).data["results"]
    assert [m["id"] for m in listed] == [meeting.pk]
    assert api_client.get(reverse("api:meeting-list"), {"committee": "x"}).data["field"] == "committee"

    api_client.force_authenticate(other.staff)
    assert api_client.get(reverse("api:committee-detail", args=[s.committee.pk])).status_code == 404
    assert api_client.get(reverse("api:meeting-list")).data["results"] == []

    api_client.force_authenticate(experts[0].user)
    mine = api_client.get(reverse("api:committee-my-invitations")).data
    assert [i["meeting"]["id"] for i in mine["invitations"]] == [meeting.pk]
    api_client.force_authenticate(other.staff)
    assert api_client.get(reverse("api:committee-my-invitations")).data == {"invitations": [], "seats": []}


@pytest.mark.django_db
def test_publicity_reads(api_client, world):
    from django.urls import reverse
    from django.utils import timezone

    from tests.review.test_publicity import at_unit, publish

    declaration = at_unit(world)
    batch = publish(world, [declaration], now=timezone.now())
    entry = batch.entries.get()

    board = api_client.get(reverse("api:publicity-public-list")).data["results"]
    assert [b["id"] for b in board] == [batch.pk]
    detail = api_client.get(reverse("api:publicity-public-detail", args=[batch.pk])).data
    assert [e["applicant_name"] for e in detail["entries"]] == [declaration.applicant.real_name]
    assert "complaints" not in detail["entries"][0]
    pdf = api_client.get(reverse("api:publicity-public-form-pdf", args=[batch.pk, entry.pk]))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert (
        api_client.get(reverse("api:publicity-public-form-pdf", args=[batch.pk, 999999])).status_code == 404
    )

    url = reverse("api:publicity-batch-detail", args=[batch.pk])
    assert api_client.get(url).status_code in (401, 403)
    api_client.force_authenticate(world.admin(world.agency))
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(world.admin(world.unit))
    assert api_client.get(url).data["entries"][0]["complaints"] == []


@pytest.mark.django_db
def test_outcome_reads(api_client):
    from django.urls import reverse

    from tests.committees.factories import setup_make
    from tests.committees.outcome_factories import signed_meeting_make

    sm = signed_meeting_make(passed=1)
    meeting = sm.meeting

    api_client.force_authenticate(sm.staff)
    listed = api_client.get(reverse("api:outcome-list")).data
    assert [m["id"] for m in listed["meetings"]] == [meeting.pk]
    assert api_client.get(reverse("api:meeting-review-report-pdf", args=[meeting.pk])).status_code == 404
    api_client.force_authenticate(setup_make().staff)
    assert api_client.get(reverse("api:outcome-list")).data["meetings"] == []
    assert api_client.get(reverse("api:meeting-review-report-pdf", args=[meeting.pk])).status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(reverse("api:results-publicity-list")).status_code == 200
