"""The OpenAPI schema: generated without warnings, valid, listing every action the pages offer."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

ACTIONS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/accounts/register/": {"post"},
    "/api/v1/accounts/me/": {"get"},
    "/api/v1/organisations/": {"get", "post"},
    "/api/v1/campaigns/": {"get"},
    "/api/v1/declarations/": {"get", "post"},
    "/api/v1/declarations/{id}/": {"get", "patch"},
    "/api/v1/declarations/{id}/submit/": {"post"},
    "/api/v1/declarations/{id}/resubmit/": {"post"},
    "/api/v1/declarations/{id}/withdraw/": {"post"},
    "/api/v1/declarations/{id}/shared-data/": {"get"},
    "/api/v1/declarations/{id}/shared-data/verify/": {"post"},
    "/api/v1/declarations/{id}/shared-data/{kind}/confirm/": {"post"},
    "/api/v1/declarations/{id}/versions/": {"get"},
    "/api/v1/declarations/{id}/versions/diff/": {"get"},
    "/api/v1/review/queue/": {"get"},
    "/api/v1/review/declarations/{id}/pass/": {"post"},
    "/api/v1/review/declarations/{id}/return/": {"post"},
    "/api/v1/review/declarations/{id}/refuse/": {"post"},
    "/api/v1/review/declarations/{id}/accept/": {"post"},
    "/api/v1/review/declarations/{id}/not-accept/": {"post"},
    "/api/v1/review/declarations/{id}/committee-return/": {"post"},
    "/api/v1/review/publicity/batches/": {"get", "post"},
    "/api/v1/review/publicity/complaints/{id}/resolve/": {"post"},
    "/api/v1/publicity/complaints/": {"post"},
    "/api/v1/review/unit-conditions/": {"get", "post"},
    "/api/v1/review/unit-conditions/{id}/": {"delete"},
    "/api/v1/committees/": {"get"},
    "/api/v1/committees/experts/": {"get"},
    "/api/v1/committees/{id}/meetings/": {"post"},
    "/api/v1/meetings/{id}/": {"get"},
    "/api/v1/meetings/{id}/candidates/": {"post"},
    "/api/v1/meetings/{id}/draw/": {"get", "post"},
    "/api/v1/meetings/{id}/attendance/": {"post"},
    "/api/v1/meetings/{id}/officers/": {"post"},
    "/api/v1/meetings/{id}/presiding/": {"post"},
    "/api/v1/meetings/{id}/open-voting/": {"post"},
    "/api/v1/draw-entries/{id}/respond/": {"post"},
    "/api/v1/meeting-seats/{id}/sign-in/": {"post"},
    "/api/v1/meetings/{id}/recusals/": {"post"},
    "/api/v1/meetings/{id}/outcomes/": {"get"},
    "/api/v1/meetings/{id}/review-report/": {"post"},
    "/api/v1/meetings/{id}/results-publicity/": {"post"},
    "/api/v1/results-publicity/{id}/": {"get"},
    "/api/v1/results-complaints/": {"post"},
    "/api/v1/results-complaints/{id}/resolve/": {"post"},
    "/api/v1/meetings/{id}/confirmations/": {"post"},
    "/api/v1/confirmations/{id}/": {"get"},
    "/api/v1/confirmations/{id}/issue/": {"post"},
    "/api/v1/certificates/": {"get"},
    "/api/v1/certificates/{id}/": {"get"},
    "/api/v1/certificates/{id}/pdf/": {"get"},
    "/api/v1/certificates/{id}/revoke/": {"post"},
    "/api/v1/review-forms/{id}/pdf/": {"get"},
    "/api/v1/declarations/{id}/documents/": {"get", "post"},
    "/api/v1/meetings/{id}/document-batches/": {"get", "post"},
    "/api/v1/document-batches/{id}/": {"get"},
    "/api/v1/verify/": {"get"},
    "/api/v1/verify/{token}/": {"get"},
}
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
