"""A unit's own stricter conditions, checked at its step (R6.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.enums import OrgKind
from core.exceptions import PermissionRefused, ServiceError
from core.models import AuditEvent
from declarations.enums import AchievementKind, EducationLevel, State
from declarations.models import Achievement, CurrentTitle, Declaration, EducationRecord
from declarations.services import declaration_create, declaration_submit
from review.models import UnitCondition
from review.services import step_pass, step_refuse
from review.unit_conditions import unit_condition_findings, unit_condition_set
from tests.conftest import picks_for, publicise_and_release
from tests.factories import OrganisationFactory, admin_of


def _at_unit(world, applicant, *, level: str = "engineer") -> Declaration:  # type: ignore[no-untyped-def]
    d = declaration_create(
        actor=applicant, campaign=world.campaign, level=level, field="big_data",
        category="city_public", **picks_for(world, "city_public"),
    )
    return declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)


def _years_before_cutoff(world, years: int) -> dt.date:  # type: ignore[no-untyped-def]
    cutoff = world.campaign.work_years_cutoff
    return cutoff.replace(year=cutoff.year - years)


def _title(declaration: Declaration, obtained_on: dt.date) -> CurrentTitle:
    return CurrentTitle.objects.create(
        declaration=declaration, level="assistant_engineer", specialty="软件", obtained_on=obtained_on
    )


def _achievement(declaration: Declaration, obtained_on: dt.date) -> Achievement:
    return Achievement.objects.create(
        declaration=declaration, kind=AchievementKind.WORK_RESULT, title="数据平台建设",
        obtained_on=obtained_on, role="项目负责人",
    )


def _condition(world, **minimums) -> UnitCondition:  # type: ignore[no-untyped-def]
    return unit_condition_set(
        actor=world.admin(world.unit), unit=world.unit, campaign=world.campaign, **minimums
    )


@pytest.mark.django_db
def test_step_pass_unit_requiring_6_years_refuses_exactly_5_full_years(world, applicant):
    _condition(world, min_years_in_title=6)
    d = _at_unit(world, applicant)
    _title(d, _years_before_cutoff(world, 5))
    d = publicise_and_release(d, world)

    with pytest.raises(ServiceError) as exc:
        step_pass(declaration=d, actor=world.admin(world.unit))

    assert exc.value.code == "unit_conditions_not_met"
    assert "本单位要求现职称任职满6年，您为5年（R6.2）" in str(exc.value.message)
    d = Declaration.objects.get(pk=d.pk)
    assert (d.state, d.current_organisation_id) == (State.IN_REVIEW, world.unit.pk)


@pytest.mark.django_db
def test_step_pass_unit_requiring_6_years_passes_6_full_years(world, applicant):
    _condition(world, min_years_in_title=6)
    d = _at_unit(world, applicant)
    _title(d, _years_before_cutoff(world, 6))
    d = publicise_and_release(d, world)

    d = step_pass(declaration=d, actor=world.admin(world.unit))

    assert d.current_organisation_id == world.city_department.pk


@pytest.mark.django_db
def test_step_refuse_unit_conditions_not_met_still_allowed(world, applicant):
    _condition(world, min_years_in_title=6)
    d = _at_unit(world, applicant)
    d = publicise_and_release(d, world)

    d = step_refuse(declaration=d, actor=world.admin(world.unit), reason="不符合本单位条件")

    assert d.state == State.NOT_RECOMMENDED


@pytest.mark.django_db
def test_findings_min_achievements_counts_only_after_title(world, applicant):
    _condition(world, min_achievements=2)
    d = _at_unit(world, applicant)
    title_on = _years_before_cutoff(world, 6)
    _title(d, title_on)
    _achievement(d, title_on)  # the day of the title does not count (R2.5)
    _achievement(d, title_on + dt.timedelta(days=1))

    assert unit_condition_findings(d) == ["本单位要求取得现职称后的业绩成果不少于2项，您为1项（R6.2）"]

    _achievement(d, title_on + dt.timedelta(days=400))

    assert unit_condition_findings(d) == []


@pytest.mark.django_db
def test_findings_min_education_below_required(world, applicant):
    _condition(world, min_education=EducationLevel.MASTER)
    d = _at_unit(world, applicant)
    EducationRecord.objects.create(
        declaration=d, level=EducationLevel.BACHELOR, school="重庆大学", major="计算机",
        graduated_on=dt.date(2010, 7, 1),
    )

    assert unit_condition_findings(d) == ["本单位要求最高学历不低于硕士，您为本科（R6.2）"]


@pytest.mark.django_db
def test_findings_level_specific_condition_not_applied_to_other_level(world, applicant):
    unit_condition_set(
        actor=world.admin(world.unit), unit=world.unit, campaign=world.campaign,
        level="senior_engineer", min_years_in_title=10,
    )
    d = _at_unit(world, applicant, level="engineer")
    _title(d, _years_before_cutoff(world, 5))

    assert unit_condition_findings(d) == []


@pytest.mark.django_db
def test_findings_level_and_every_level_conditions_both_apply(world, applicant):
    _condition(world, min_achievements=1)
    unit_condition_set(
        actor=world.admin(world.unit), unit=world.unit, campaign=world.campaign,
        level="engineer", min_years_in_title=6,
    )
    d = _at_unit(world, applicant, level="engineer")
    _title(d, _years_before_cutoff(world, 5))

    assert unit_condition_findings(d) == [
        "本单位要求现职称任职满6年，您为5年（R6.2）",
        "本单位要求取得现职称后的业绩成果不少于1项，您为0项（R6.2）",
    ]


@pytest.mark.django_db
def test_unit_condition_set_other_unit_admin_refused_and_nothing_stored(world):
    other_admin = admin_of(OrganisationFactory(name="另一家单位", kind=OrgKind.UNIT))

    with pytest.raises(PermissionRefused):
        unit_condition_set(
            actor=other_admin, unit=world.unit, campaign=world.campaign, min_years_in_title=6
        )

    assert UnitCondition.objects.count() == 0


@pytest.mark.django_db
def test_unit_condition_set_replaces_same_campaign_and_level_and_audits(world):
    _condition(world, min_years_in_title=6)
    _condition(world, min_years_in_title=8, note="须为本单位在编人员")

    assert list(UnitCondition.objects.values_list("min_years_in_title", "note")) == [
        (8, "须为本单位在编人员")
    ]
    assert AuditEvent.objects.filter(action="unit_condition_set").count() == 2


@pytest.mark.django_db
def test_api_unit_conditions_create_list_delete(world):
    client = APIClient()
    client.force_authenticate(world.admin(world.unit))

    created = client.post(
        "/api/v1/review/unit-conditions/",
        {"campaign": world.campaign.pk, "level": "engineer", "min_years_in_title": 6, "note": "说明"},
        format="json",
    )
    listed = client.get("/api/v1/review/unit-conditions/")
    deleted = client.delete(f"/api/v1/review/unit-conditions/{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["min_years_in_title"] == 6
    assert [row["id"] for row in listed.json()["results"]] == [created.json()["id"]]
    assert deleted.status_code == 204
    assert UnitCondition.objects.count() == 0


@pytest.mark.django_db
def test_api_unit_conditions_create_by_non_unit_admin_is_403(world):
    client = APIClient()
    client.force_authenticate(world.admin(world.city_department))

    response = client.post(
        "/api/v1/review/unit-conditions/",
        {"campaign": world.campaign.pk, "min_years_in_title": 6},
        format="json",
    )

    assert response.status_code == 403
    assert UnitCondition.objects.count() == 0


@pytest.mark.django_db
def test_api_unit_conditions_delete_by_other_unit_admin_is_404(world):
    condition = _condition(world, min_years_in_title=6)
    client = APIClient()
    client.force_authenticate(admin_of(OrganisationFactory(name="另一家单位", kind=OrgKind.UNIT)))

    response = client.delete(f"/api/v1/review/unit-conditions/{condition.pk}/")

    assert response.status_code == 404
    assert UnitCondition.objects.count() == 1


@pytest.mark.django_db
def test_api_allowed_actions_no_pass_when_unit_conditions_not_met(world, applicant):
    _condition(world, min_years_in_title=6)
    d = _at_unit(world, applicant)
    publicise_and_release(d, world)
    client = APIClient()
    client.force_authenticate(world.admin(world.unit))

    actions = client.get(f"/api/v1/declarations/{d.pk}/").json()["allowed_actions"]

    assert actions == ["return", "refuse"]


@pytest.mark.django_db
def test_detail_page_unit_reviewer_sees_unit_condition_finding(client, world, applicant):
    _condition(world, min_years_in_title=6)
    d = _at_unit(world, applicant)
    _title(d, _years_before_cutoff(world, 5))
    publicise_and_release(d, world)
    client.force_login(world.admin(world.unit))

    response = client.get(f"/declarations/{d.pk}/")

    choices = [c[0] for c in response.context["decision_form"].fields["action"].choices]
    assert choices == ["return", "refuse"]
    assert "本单位要求现职称任职满6年，您为5年（R6.2）" in response.context["pass_blocked"]


@pytest.mark.django_db
def test_unit_conditions_page_unit_admin_adds_condition(client, world):
    client.force_login(world.admin(world.unit))

    response = client.post(
        "/review/unit-conditions/",
        {"campaign": world.campaign.pk, "level": "", "min_education": "", "min_years_in_title": "6",
         "min_achievements": "", "note": ""},
    )

    assert response.status_code == 302
    assert list(UnitCondition.objects.values_list("unit_id", "level", "min_years_in_title")) == [
        (world.unit.pk, "", 6)
    ]
    assert client.get("/review/unit-conditions/").status_code == 200


@pytest.mark.django_db
def test_unit_conditions_page_non_unit_admin_redirected(client, world):
    client.force_login(world.admin(world.city_department))

    response = client.get("/review/unit-conditions/")

    assert response.status_code == 302


@pytest.mark.django_db
def test_unit_conditions_page_delete_by_other_unit_admin_is_404(client, world):
    condition = _condition(world, min_years_in_title=6)
    client.force_login(admin_of(OrganisationFactory(name="另一家单位", kind=OrgKind.UNIT)))

    response = client.post(f"/review/unit-conditions/{condition.pk}/delete/")

    assert response.status_code == 404
    assert UnitCondition.objects.count() == 1
