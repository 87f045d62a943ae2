"""Versions (DESIGN.md: a resubmission freezes a new version; reviewers see what changed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from declarations.enums import VersionReason
from declarations.models import CurrentTitle, Declaration, DeclarationVersion
from declarations.services import declaration_create, declaration_resubmit, declaration_submit
from declarations.versions import (
    Change,
    register_section,
    version_changes_since_return,
    version_diff,
    version_snapshot,
)
from review.services import step_return
from tests.conftest import picks_for
from tests.factories import UserFactory


def submitted(world, applicant) -> Declaration:  # type: ignore[no-untyped-def]
    declaration = declaration_create(
        actor=applicant, campaign=world.campaign, level="engineer", field="big_data",
        category="city_public", **picks_for(world, "city_public"),
    )
    CurrentTitle.objects.create(declaration=declaration, level="assistant_engineer", specialty="大数据")
    return declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)


def returned(world, declaration: Declaration) -> Declaration:  # type: ignore[no-untyped-def]
    return step_return(declaration=declaration, actor=world.admin(world.unit), defects=["专业填写有误"])


@pytest.mark.django_db
def test_submit_freezes_version_one(world, applicant):
    declaration = submitted(world, applicant)

    [version] = DeclarationVersion.objects.filter(declaration=declaration)
    assert (version.number, version.reason, version.frozen_by) == (1, VersionReason.SUBMIT, applicant)
    assert version.data["core"] == {
        "level": "engineer", "field": "big_data", "declaration_type": "normal",
        "category": "city_public", "unit": world.unit.name,
        "competent_department": world.city_department.name, "personnel_agency": None,
        "district_hr": None, "management_body": None,
    }
    assert version.data["currenttitle"]["specialty"] == "大数据"


@pytest.mark.django_db
def test_resubmit_freezes_version_two_and_diff_shows_exactly_the_change(world, applicant):
    declaration = returned(world, submitted(world, applicant))
    CurrentTitle.objects.filter(declaration=declaration).update(specialty="云计算")

    declaration_resubmit(declaration=declaration, actor=applicant)

    v1, v2 = DeclarationVersion.objects.filter(declaration=declaration).order_by("number")
    assert (v2.number, v2.reason) == (2, VersionReason.RESUBMIT)
    assert version_diff(v1.data, v2.data) == [
        Change("currenttitle", "", "specialty", "大数据", "云计算")
    ]
    since = version_changes_since_return(declaration)
    assert (since.base.number, since.head.number) == (1, 2)
    assert since.changes == [Change("currenttitle", "", "specialty", "大数据", "云计算")]


@pytest.mark.django_db
def test_resubmit_unchanged_has_no_changes(world, applicant):
    declaration = returned(world, submitted(world, applicant))

    declaration_resubmit(declaration=declaration, actor=applicant)

    assert version_changes_since_return(declaration).changes == []


@pytest.mark.django_db
def test_changes_since_return_none_while_returned(world, applicant):
    declaration = returned(world, submitted(world, applicant))

    assert version_changes_since_return(declaration) is None


def test_version_diff_of_list_sections_reports_added_removed_changed():
    old = {"rows": [{"id": 1, "label": "A", "fields": {"x": 1}},
                    {"id": 2, "label": "B", "fields": {"x": 2}}]}
    new = {"rows": [{"id": 1, "label": "A", "fields": {"x": 5}},
                    {"id": 3, "label": "C", "fields": {"x": 3}}]}

    assert version_diff(old, new) == [
        Change("rows", "A", "x", 1, 5),
        Change("rows", "B", "", {"x": 2}, None, "removed"),
        Change("rows", "C", "", None, {"x": 3}, "added"),
    ]


@pytest.mark.django_db
def test_register_section_adds_to_snapshot(world, applicant):
    declaration = submitted(world, applicant)
    register_section("extra_test", lambda d: {"n": d.pk}, label="测试")
    try:
        assert version_snapshot(declaration)["extra_test"] == {"n": declaration.pk}
    finally:
        from declarations import versions

        versions._SECTIONS.pop("extra_test")
        versions._LABELS.pop("extra_test")


@pytest.mark.django_db
def test_api_versions_list_and_diff(world, applicant, api_client):
    declaration = returned(world, submitted(world, applicant))
    CurrentTitle.objects.filter(declaration=declaration).update(specialty="云计算")
    declaration_resubmit(declaration=declaration, actor=applicant)
    api_client.force_authenticate(world.admin(world.unit))

    listed = api_client.get(reverse("api:versions", args=[declaration.pk]))
    diff = api_client.get(reverse("api:versions-diff", args=[declaration.pk]))
    explicit = api_client.get(reverse("api:versions-diff", args=[declaration.pk]), {"from": 2, "to": 2})
    missing = api_client.get(reverse("api:versions-diff", args=[declaration.pk]), {"from": 9})

    assert [v["number"] for v in listed.json()] == [1, 2]
    assert (diff.json()["from_version"], diff.json()["to_version"]) == (1, 2)
    [change] = diff.json()["changes"]
    assert (change["section"], change["field"], change["before"], change["after"]) == (
        "currenttitle", "specialty", "大数据", "云计算"
    )
    assert change["field_display"] == "专业"
    assert explicit.json()["changes"] == []
    assert (missing.status_code, missing.json()["code"]) == (400, "version_not_found")


@pytest.mark.django_db
def test_api_versions_of_unseen_declaration_not_found(world, applicant, api_client):
    declaration = submitted(world, applicant)
    api_client.force_authenticate(UserFactory())

    response = api_client.get(reverse("api:versions", args=[declaration.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_page_shows_changes_since_return_to_reviewer(world, applicant, client):
    declaration = returned(world, submitted(world, applicant))
    CurrentTitle.objects.filter(declaration=declaration).update(specialty="云计算")
    declaration_resubmit(declaration=declaration, actor=applicant)
    client.force_login(world.admin(world.unit))

    content = client.get(declaration.get_absolute_url()).content.decode()

    assert "自退回以来的修改" in content
    assert "云计算" in content
