"""Services writing a declaration's content (declarations/content.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from declarations.content import (
    applicant_status_set,
    content_is_editable,
    content_row_add,
    content_row_delete,
    content_row_update,
    current_title_set,
)
from declarations.enums import EducationLevel, Level, TitleBasis, TitleSeries
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    EducationRecord,
    SocialInsuranceRecord,
    WorkRecord,
)
from tests.declarations.test_services import _to_returned, audit_rows, draft, refused, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EDUCATION = {
    "level": EducationLevel.BACHELOR,
    "school": "重庆大学",
    "major": "计算机科学与技术",
    "graduated_on": dt.date(2010, 7, 1),
    "full_time": True,
}
WORK = {
    "started_on": dt.date(2010, 7, 1),
    "ended_on": None,
    "employer": "重庆某数据科技有限公司",
    "post": "工程师",
}
INSURANCE = {
    "start_month": dt.date(2023, 3, 15),
    "end_month": None,
    "employer": "重庆某数据科技有限公司",
    "paid_in_chongqing": True,
}
ROWS = {"education": EDUCATION, "work": WORK, "social_insurance": INSURANCE}
TITLE = {
    "basis": TitleBasis.REVIEWED,
    "series": TitleSeries.DIGITAL,
    "level": Level.ASSISTANT_ENGINEER,
    "specialty": "大数据",
    "obtained_on": dt.date(2018, 12, 1),
    "issuing_body": "重庆市人力资源和社会保障局",
}


def last_action(declaration) -> str:  # type: ignore[no-untyped-def]
    return audit_rows(declaration).last().action


# -- the applicant only -------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["education", "work", "social_insurance"])
def test_content_row_add_by_applicant_writes_row_and_audit(world, applicant, section):
    d = draft(world, applicant)
    before = audit_rows(d).count()

    row = content_row_add(declaration=d, actor=applicant, section=section, **ROWS[section])

    assert row.declaration_id == d.pk
    assert audit_rows(d).count() == before + 1
    event = audit_rows(d).last()
    assert (event.action, event.actor, event.data) == (f"content_{section}_add", applicant, {"row": row.pk})


@pytest.mark.parametrize("who", ["other_applicant", "route_reviewer"])
def test_content_row_add_by_other_person_refused(world, applicant, who):
    d = draft(world, applicant)
    actor = UserFactory() if who == "other_applicant" else world.admin(world.unit)
    before = audit_rows(d).count()

    refused(
        lambda: content_row_add(declaration=d, actor=actor, section="education", **EDUCATION),
        "not_applicant",
        PermissionRefused,
    )

    assert EducationRecord.objects.filter(declaration=d).count() == 0
    assert audit_rows(d).count() == before


def test_applicant_status_set_by_other_person_refused(world, applicant):
    d = draft(world, applicant)

    refused(
        lambda: applicant_status_set(declaration=d, actor=UserFactory(), is_civil_servant=True),
        "not_applicant",
        PermissionRefused,
    )

    assert ApplicantStatus.objects.filter(declaration=d).count() == 0


def test_content_row_delete_by_other_person_refused(world, applicant):
    d = draft(world, applicant)
    row = content_row_add(declaration=d, actor=applicant, section="work", **WORK)

    refused(lambda: content_row_delete(row=row, actor=UserFactory()), "not_applicant", PermissionRefused)

    assert WorkRecord.objects.filter(pk=row.pk).count() == 1


# -- only while draft or returned ----------------------------------------------------------------


def test_content_row_add_after_submit_refused(world, applicant):
    d = submit(draft(world, applicant))
    before = audit_rows(d).count()

    refused(
        lambda: content_row_add(declaration=d, actor=applicant, section="work", **WORK),
        "not_editable",
        TransitionNotAllowed,
    )

    assert WorkRecord.objects.filter(declaration=d).count() == 0
    assert audit_rows(d).count() == before
    assert content_is_editable(d, applicant) is False


def test_current_title_set_after_submit_refused(world, applicant):
    d = submit(draft(world, applicant))

    refused(
        lambda: current_title_set(declaration=d, actor=applicant, **TITLE),
        "not_editable",
        TransitionNotAllowed,
    )

    assert CurrentTitle.objects.filter(declaration=d).count() == 0


def test_content_row_update_after_submit_refused_and_row_unchanged(world, applicant):
    d = draft(world, applicant)
    row = content_row_add(declaration=d, actor=applicant, section="work", **WORK)
    submit(d)

    refused(lambda: content_row_update(row=row, actor=applicant, post="高级工程师"), "not_editable",
            TransitionNotAllowed)

    assert WorkRecord.objects.get(pk=row.pk).post == "工程师"


def test_content_row_add_while_returned_accepted(world, applicant):
    d = _to_returned(world, draft(world, applicant))

    content_row_add(declaration=d, actor=applicant, section="education", **EDUCATION)

    assert EducationRecord.objects.filter(declaration=d).count() == 1
    assert content_is_editable(d, applicant) is True


# -- writes and their audit rows ------------------------------------------------------------------


def test_applicant_status_set_twice_keeps_one_row_and_changes_only_given_fields(world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    applicant_status_set(declaration=d, actor=applicant, archive_in_chongqing=True, archive_agency="甲中心")

    applicant_status_set(declaration=d, actor=applicant, archive_since=dt.date(2020, 1, 1))

    status = ApplicantStatus.objects.get(declaration=d)
    assert (status.archive_in_chongqing, status.archive_agency, status.archive_since) == (
        True, "甲中心", dt.date(2020, 1, 1)
    )
    event = audit_rows(d).last()
    assert (event.action, event.data) == ("content_status_set", {"fields": ["archive_since"]})


def test_current_title_set_none_clears_the_title_fields(world, applicant):
    d = draft(world, applicant)
    current_title_set(declaration=d, actor=applicant, **TITLE)

    current_title_set(declaration=d, actor=applicant, basis=TitleBasis.ORGAN_TRANSFER)

    title = CurrentTitle.objects.get(declaration=d)
    assert (title.basis, title.level, title.specialty, title.obtained_on) == (
        TitleBasis.ORGAN_TRANSFER, "", "", None
    )
    assert last_action(d) == "content_title_set"


def test_current_title_set_army_title_accepted(world, applicant):
    d = draft(world, applicant)

    title = current_title_set(declaration=d, actor=applicant, **{**TITLE, "basis": TitleBasis.ARMY})

    assert title.holds_title is True


def test_content_row_update_writes_audit_with_changed_fields(world, applicant):
    d = draft(world, applicant)
    row = content_row_add(declaration=d, actor=applicant, section="work", **WORK)

    content_row_update(row=row, actor=applicant, ended_on=dt.date(2015, 6, 30))

    assert WorkRecord.objects.get(pk=row.pk).ended_on == dt.date(2015, 6, 30)
    event = audit_rows(d).last()
    assert (event.action, event.data) == ("content_work_update", {"row": row.pk, "fields": ["ended_on"]})


def test_content_row_delete_writes_audit(world, applicant):
    d = draft(world, applicant)
    row = content_row_add(declaration=d, actor=applicant, section="social_insurance", **INSURANCE)
    pk = row.pk

    content_row_delete(row=row, actor=applicant)

    assert SocialInsuranceRecord.objects.filter(pk=pk).count() == 0
    event = audit_rows(d).last()
    assert (event.action, event.data) == ("content_social_insurance_delete", {"row": pk})


def test_social_insurance_months_stored_as_first_day(world, applicant):
    d = draft(world, applicant)

    row = content_row_add(
        declaration=d, actor=applicant, section="social_insurance",
        **{**INSURANCE, "end_month": dt.date(2024, 5, 31)},
    )

    stored = SocialInsuranceRecord.objects.get(pk=row.pk)
    assert (stored.start_month, stored.end_month) == (dt.date(2023, 3, 1), dt.date(2024, 5, 1))


# -- validation -----------------------------------------------------------------------------------


def test_work_row_ending_before_start_refused_on_the_field(world, applicant):
    d = draft(world, applicant)
    before = audit_rows(d).count()

    error = refused(
        lambda: content_row_add(
            declaration=d, actor=applicant, section="work", **{**WORK, "ended_on": dt.date(2009, 1, 1)}
        ),
        "invalid",
    )

    assert (error.field, str(error.message)) == ("ended_on", "结束时间不能早于起始时间。")
    assert WorkRecord.objects.filter(declaration=d).count() == 0
    assert audit_rows(d).count() == before


def test_social_insurance_end_before_start_refused(world, applicant):
    d = draft(world, applicant)

    error = refused(
        lambda: content_row_add(
            declaration=d, actor=applicant, section="social_insurance",
            **{**INSURANCE, "end_month": dt.date(2023, 2, 1)},
        ),
        "invalid",
    )

    assert (error.field, str(error.message)) == ("end_month", "截止月份不能早于起始月份。")


def test_content_row_update_end_before_start_refused_and_row_unchanged(world, applicant):
    d = draft(world, applicant)
    row = content_row_add(declaration=d, actor=applicant, section="work", **WORK)

    error = refused(
        lambda: content_row_update(row=row, actor=applicant, ended_on=dt.date(2000, 1, 1)), "invalid"
    )

    assert error.field == "ended_on"
    assert WorkRecord.objects.get(pk=row.pk).ended_on is None


def test_held_title_without_level_refused_on_the_field(world, applicant):
    d = draft(world, applicant)

    error = refused(
        lambda: current_title_set(declaration=d, actor=applicant, **{**TITLE, "level": ""}), "invalid"
    )

    assert (error.field, str(error.message)) == ("level", "请填写现职称级别。")


def test_unknown_field_refused(world, applicant):
    d = draft(world, applicant)

    error = refused(
        lambda: content_row_add(declaration=d, actor=applicant, section="work", **WORK, declaration_id=1),
        "unknown_field",
    )

    assert isinstance(error, ServiceError)
    assert WorkRecord.objects.filter(declaration=d).count() == 0


def test_education_level_outside_choices_refused(world, applicant):
    d = draft(world, applicant)

    error = refused(
        lambda: content_row_add(
            declaration=d, actor=applicant, section="education", **{**EDUCATION, "level": 9}
        ),
        "invalid",
    )

    assert error.field == "level"
