"""The content and eligibility endpoints (declarations/api/content.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from declarations.models import EducationRecord, SocialInsuranceRecord, WorkRecord
from tests.declarations.test_services import draft, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/declarations"

EDUCATION = {
    "level": 3,
    "school": "重庆大学",
    "major": "计算机科学与技术",
    "graduated_on": "2010-07-01",
    "full_time": True,
}


def as_user(api_client, user):  # type: ignore[no-untyped-def]
    api_client.force_authenticate(user)
    return api_client


def content_endpoints(pk: int, row_id: int) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("get", f"{API}/{pk}/content/", {}),
        ("get", f"{API}/{pk}/eligibility/", {}),
        ("put", f"{API}/{pk}/applicant-status/", {"is_civil_servant": False}),
        ("put", f"{API}/{pk}/current-title/", {"basis": "none"}),
        ("get", f"{API}/{pk}/education/", {}),
        ("post", f"{API}/{pk}/education/", EDUCATION),
        ("get", f"{API}/{pk}/work-history/", {}),
        ("patch", f"{API}/{pk}/work-history/{row_id}/", {"post": "某"}),
        ("delete", f"{API}/{pk}/work-history/{row_id}/", {}),
        ("get", f"{API}/{pk}/social-insurance/", {}),
    ]


@pytest.mark.parametrize("who", ["other_applicant", "unrelated_admin"])
def test_content_endpoints_outsider_gets_404(world, applicant, api_client, who):
    d = submit(draft(world, applicant))
    row = WorkRecord.objects.create(
        declaration=d, started_on=dt.date(2015, 7, 1), employer="某", post="工程师"
    )
    outsider = UserFactory() if who == "other_applicant" else world.admin(world.management_body)
    client = as_user(api_client, outsider)

    statuses = [
        (method, url, getattr(client, method)(url, data, format="json").status_code)
        for method, url, data in content_endpoints(d.pk, row.pk)
    ]

    assert [s for s in statuses if s[2] != 404] == []
    assert WorkRecord.objects.get(pk=row.pk).post == "工程师"
    assert EducationRecord.objects.filter(declaration=d).count() == 0


def test_education_row_added_by_applicant(world, applicant, api_client):
    d = draft(world, applicant)

    response = as_user(api_client, applicant).post(f"{API}/{d.pk}/education/", EDUCATION, format="json")

    assert response.status_code == 201
    row = EducationRecord.objects.get(declaration=d)
    assert response.json() == {**EDUCATION, "id": row.pk}
    listed = api_client.get(f"{API}/{d.pk}/education/").json()
    assert [r["id"] for r in listed] == [row.pk]


def test_education_row_add_by_route_reviewer_forbidden(world, applicant, api_client):
    d = submit(draft(world, applicant))

    response = as_user(api_client, world.admin(world.unit)).post(
        f"{API}/{d.pk}/education/", EDUCATION, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_applicant"


def test_education_row_add_after_submit_conflict(world, applicant, api_client):
    d = submit(draft(world, applicant))

    response = as_user(api_client, applicant).post(f"{API}/{d.pk}/education/", EDUCATION, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"


def test_work_row_ending_before_start_bad_request(world, applicant, api_client):
    d = draft(world, applicant)

    response = as_user(api_client, applicant).post(
        f"{API}/{d.pk}/work-history/",
        {"started_on": "2020-01-01", "ended_on": "2019-01-01", "employer": "某", "post": "某"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert WorkRecord.objects.filter(declaration=d).count() == 0


def test_eligibility_lists_findings(world, applicant, api_client):
    d = draft(world, applicant, category="floating_cq_archive")
    year = d.campaign.work_years_cutoff.year
    SocialInsuranceRecord.objects.create(declaration=d, start_month=dt.date(year, 2, 1), employer="某公司")

    response = as_user(api_client, applicant).get(f"{API}/{d.pk}/eligibility/")

    assert response.status_code == 200
    blocking = [f for f in response.json() if f["blocking"]]
    assert [(f["rule"], f["field"]) for f in blocking] == [("R4.7", "social_insurance")]
    assert "共11个月" in blocking[0]["message"]


def test_eligibility_route_reviewer_reads_findings(world, applicant, api_client):
    d = submit(draft(world, applicant))

    response = as_user(api_client, world.admin(world.unit)).get(f"{API}/{d.pk}/eligibility/")

    assert response.status_code == 200
    assert [f for f in response.json() if f["blocking"]] == []


def test_content_social_insurance_month_format(world, applicant, api_client):
    d = draft(world, applicant, category="floating_cq_archive")
    client = as_user(api_client, applicant)

    response = client.post(
        f"{API}/{d.pk}/social-insurance/",
        {"start_month": "2023-03", "employer": "某公司", "paid_in_chongqing": True},
        format="json",
    )

    assert response.status_code == 201
    content = client.get(f"{API}/{d.pk}/content/").json()
    assert [r["start_month"] for r in content["social_insurance"]] == ["2023-03-01"]
