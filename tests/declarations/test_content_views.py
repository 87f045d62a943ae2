"""The content page (申报信息) and the eligibility checklist on it and on the detail page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from declarations.enums import EducationLevel, Level, TitleBasis
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    EducationRecord,
    EligibilityRule,
    SocialInsuranceRecord,
    WorkRecord,
)
from tests.declarations.test_services import _to_returned, draft, submit
from tests.factories import UserFactory, make_eligible

pytestmark = pytest.mark.django_db

BLOCKING_BADGE = '<span class="badge badge-failed">不符合</span>'


def content_url(declaration) -> str:  # type: ignore[no-untyped-def]
    return reverse("declarations:content", args=[declaration.pk])


def page(client, user, declaration):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(content_url(declaration))


def insurance_from(declaration, month: int) -> SocialInsuranceRecord:  # type: ignore[no-untyped-def]
    """Ongoing contributions from ``month`` of the cut-off's year: 13 - month months."""
    year = declaration.campaign.work_years_cutoff.year
    return SocialInsuranceRecord.objects.create(
        declaration=declaration, start_month=dt.date(year, month, 1), employer="重庆某数据科技有限公司"
    )


# -- who sees what ----------------------------------------------------------------------------


def test_content_page_applicant_sees_forms_and_personal_data(client, world, applicant):
    d = draft(world, applicant)

    response = page(client, applicant, d)

    assert response.status_code == 200
    html = response.content.decode()
    for action in ("content_status", "content_title"):
        assert reverse(f"declarations:{action}", args=[d.pk]) in html
    for section in ("education", "work", "social_insurance"):
        assert reverse("declarations:content_row_add", args=[d.pk, section]) in html
    assert applicant.real_name in html
    assert applicant.masked_id_number in html
    assert applicant.phone in html
    assert applicant.id_number not in html


def test_content_page_route_reviewer_read_only(client, world, applicant):
    d = submit(draft(world, applicant))
    EducationRecord.objects.create(
        declaration=d, level=EducationLevel.BACHELOR, school="重庆大学", major="软件工程",
        graduated_on=dt.date(2010, 7, 1),
    )

    response = page(client, world.admin(world.unit), d)

    assert response.status_code == 200
    html = response.content.decode()
    assert "重庆大学" in html
    assert "<form method=\"post\" action=\"/declarations/" not in html
    assert reverse("declarations:content_row_add", args=[d.pk, "education"]) not in html
    assert "仅申报人本人可以填写申报信息" in html


def test_content_page_applicant_after_submit_read_only(client, world, applicant):
    d = submit(draft(world, applicant))

    html = page(client, applicant, d).content.decode()

    assert reverse("declarations:content_status", args=[d.pk]) not in html
    assert "申报信息不能修改" in html


def test_content_page_applicant_returned_editable(client, world, applicant):
    d = _to_returned(world, draft(world, applicant))

    html = page(client, applicant, d).content.decode()

    assert reverse("declarations:content_status", args=[d.pk]) in html


@pytest.mark.parametrize("who", ["other_applicant", "unrelated_admin", "reviewer_of_a_draft"])
def test_content_page_outsider_gets_404(client, world, applicant, who):
    d = draft(world, applicant)
    user = {
        "other_applicant": lambda: UserFactory(),
        "unrelated_admin": lambda: world.admin(world.management_body),
        # The unit sees the declaration only once it is submitted.
        "reviewer_of_a_draft": lambda: world.admin(world.unit),
    }[who]()

    assert page(client, user, d).status_code == 404


def test_content_page_anonymous_redirected_to_login(client, world, applicant):
    d = draft(world, applicant)

    response = client.get(content_url(d))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# -- writes through the page --------------------------------------------------------------------


def test_social_insurance_row_added_via_post(client, world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    client.force_login(applicant)

    response = client.post(
        reverse("declarations:content_row_add", args=[d.pk, "social_insurance"]),
        {
            "social_insurance-start_month": "2023-03",
            "social_insurance-end_month": "",
            "social_insurance-employer": "重庆某数据科技有限公司",
            "social_insurance-paid_in_chongqing": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == content_url(d) + "#social_insurance"
    row = SocialInsuranceRecord.objects.get(declaration=d)
    assert (row.start_month, row.end_month, row.paid_in_chongqing) == (dt.date(2023, 3, 1), None, True)
    assert AuditEvent.objects.filter(action="content_social_insurance_add").count() == 1


def test_work_row_ending_before_start_shows_field_error(client, world, applicant):
    d = draft(world, applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("declarations:content_row_add", args=[d.pk, "work"]),
        {
            "work-started_on": "2020-05-01",
            "work-ended_on": "2019-05-01",
            "work-employer": "某公司",
            "work-post": "工程师",
        },
    )

    assert response.status_code == 200
    assert response.context["sections"][1].add_form.errors["ended_on"] == ["结束时间不能早于起始时间。"]
    assert WorkRecord.objects.filter(declaration=d).count() == 0


def test_status_saved_via_post(client, world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    client.force_login(applicant)

    response = client.post(
        reverse("declarations:content_status", args=[d.pk]),
        {
            "applicant_status-unit_in_chongqing": "on",
            "applicant_status-archive_in_chongqing": "true",
            "applicant_status-archive_agency": "九龙坡区人才交流服务中心",
            "applicant_status-archive_since": "2020-01-01",
            "applicant_status-retirement_approved_on": "",
        },
    )

    assert response.status_code == 302
    status = ApplicantStatus.objects.get(declaration=d)
    assert (status.is_civil_servant, status.archive_in_chongqing, status.archive_since) == (
        False, True, dt.date(2020, 1, 1)
    )


def test_title_held_without_level_shows_field_error(client, world, applicant):
    d = draft(world, applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("declarations:content_title", args=[d.pk]),
        {"current_title-basis": TitleBasis.REVIEWED, "current_title-series": "digital"},
    )

    assert response.status_code == 200
    assert response.context["title_form"].errors["level"] == ["请填写现职称级别。"]
    assert CurrentTitle.objects.filter(declaration=d).count() == 0


def test_army_title_saved_via_post(client, world, applicant):
    d = draft(world, applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("declarations:content_title", args=[d.pk]),
        {
            "current_title-basis": TitleBasis.ARMY,
            "current_title-series": "engineering",
            "current_title-level": Level.ASSISTANT_ENGINEER,
            "current_title-specialty": "通信工程",
            "current_title-obtained_on": "2015-08-01",
            "current_title-issuing_body": "某部队",
        },
    )

    assert response.status_code == 302
    assert CurrentTitle.objects.get(declaration=d).basis == TitleBasis.ARMY


def test_reviewer_post_refused_with_message_and_nothing_saved(client, world, applicant):
    d = submit(draft(world, applicant))
    client.force_login(world.admin(world.unit))

    response = client.post(
        reverse("declarations:content_row_add", args=[d.pk, "education"]),
        {
            "education-level": EducationLevel.MASTER,
            "education-school": "重庆大学",
            "education-major": "软件工程",
            "education-graduated_on": "2012-07-01",
            "education-full_time": "on",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["只有申报人本人可以执行此操作。"]
    assert EducationRecord.objects.filter(declaration=d).count() == 0


def test_row_edited_and_deleted_via_pages(client, world, applicant):
    d = draft(world, applicant)
    row = WorkRecord.objects.create(
        declaration=d, started_on=dt.date(2015, 7, 1), employer="某公司", post="助理工程师"
    )
    client.force_login(applicant)
    edit_url = reverse("declarations:content_row_edit", args=[d.pk, "work", row.pk])

    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "work-started_on": "2015-07-01",
            "work-ended_on": "",
            "work-employer": "某公司",
            "work-post": "工程师",
        },
    )
    assert response.status_code == 302
    assert WorkRecord.objects.get(pk=row.pk).post == "工程师"

    response = client.post(reverse("declarations:content_row_delete", args=[d.pk, "work", row.pk]))
    assert response.status_code == 302
    assert WorkRecord.objects.filter(pk=row.pk).count() == 0


def test_row_of_another_declaration_gets_404(client, world, applicant):
    mine = draft(world, applicant)
    other = draft(world, UserFactory())
    row = WorkRecord.objects.create(
        declaration=other, started_on=dt.date(2015, 7, 1), employer="某", post="某"
    )
    client.force_login(applicant)

    response = client.post(reverse("declarations:content_row_delete", args=[mine.pk, "work", row.pk]))

    assert response.status_code == 404
    assert WorkRecord.objects.filter(pk=row.pk).count() == 1


def test_unknown_section_gets_404(client, world, applicant):
    d = draft(world, applicant)
    client.force_login(applicant)

    response = client.post(reverse("declarations:content_row_add", args=[d.pk, "achievements"]), {})

    assert response.status_code == 404


# -- the checklist (R4.7, R2.2) -------------------------------------------------------------------


def test_checklist_eleven_months_shows_blocking_r4_7_finding(client, world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    insurance_from(d, 2)

    response = page(client, applicant, d)

    html = response.content.decode()
    assert [(i.rule, i.anchor) for i in response.context["eligibility"].items if i.blocking] == [
        ("R4.7", "social_insurance")
    ]
    assert "11个月" in html
    assert BLOCKING_BADGE in html
    assert "有 1 项不符合申报条件" in html
    assert "<strong>符合申报条件</strong>" not in html


def test_checklist_twelve_months_shows_eligible(client, world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    insurance_from(d, 1)

    response = page(client, applicant, d)

    html = response.content.decode()
    assert [i.rule for i in response.context["eligibility"].items if i.rule == "R4.7"] == []
    assert "个月" not in html
    assert BLOCKING_BADGE not in html
    assert "<strong>符合申报条件</strong>" in html


def test_checklist_on_detail_page_shows_finding_with_link_to_section(client, world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    insurance_from(d, 2)
    client.force_login(applicant)

    html = client.get(d.get_absolute_url()).content.decode()

    assert "11个月" in html
    assert BLOCKING_BADGE in html
    assert f'href="{content_url(d)}#social_insurance"' in html
    assert "填写申报信息" in html


def test_detail_page_reviewer_link_reads_content(client, world, applicant):
    d = submit(make_eligible(draft(world, applicant)))
    client.force_login(world.admin(world.unit))

    html = client.get(d.get_absolute_url()).content.decode()

    assert f'href="{content_url(d)}"' in html
    assert "填写申报信息" not in html
    assert "<strong>符合申报条件</strong>" in html


def test_checklist_campaign_rule_unmet_blocks_beside_education(client, world, applicant):
    EligibilityRule.objects.create(
        campaign=world.campaign, level=Level.ENGINEER, min_education=EducationLevel.BACHELOR
    )
    d = draft(world, applicant)
    EducationRecord.objects.create(
        declaration=d, level=EducationLevel.JUNIOR_COLLEGE, school="重庆某职业学院", major="计算机应用",
        graduated_on=dt.date(2010, 7, 1),
    )
    CurrentTitle.objects.create(declaration=d, basis=TitleBasis.NONE, series="")

    response = page(client, applicant, d)

    items = response.context["eligibility"].items
    assert [(i.rule, i.blocking, i.anchor) for i in items] == [("R2.2", True, "education")]
    education = next(s for s in response.context["sections"] if s.key == "education")
    assert education.findings == items


def test_content_page_query_count_does_not_grow_with_rows(client, world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    client.force_login(applicant)
    insurance_from(d, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(content_url(d))
    for month in range(2, 12):
        insurance_from(d, month)
        WorkRecord.objects.create(declaration=d, started_on=dt.date(2010, month, 1), employer="某", post="某")
        EducationRecord.objects.create(
            declaration=d, level=EducationLevel.BACHELOR, school="某", major="某",
            graduated_on=dt.date(2000, month, 1),
        )

    with CaptureQueriesContext(connection) as many:
        client.get(content_url(d))

    assert len(many) == len(one)
