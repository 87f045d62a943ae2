"""Eligibility findings (R1.2, R2.2, R2.3, R4.7) and the one-normal-per-year rule (R2.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from declarations.eligibility import (
    check_floating,
    declaration_eligibility,
    full_years,
    insurance_months,
)
from declarations.enums import DeclarationType, EducationLevel, Level, State, TitleBasis, TitleSeries
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    Declaration,
    EducationRecord,
    EligibilityRule,
    SanctionEntry,
    SocialInsuranceRecord,
)
from tests.declarations.test_services import draft, refused, stored, submit
from tests.factories import CampaignFactory, UserFactory

CUTOFF = dt.date(2024, 12, 31)
TODAY = dt.date(2024, 9, 10)


def si(start: dt.date, end: dt.date | None, in_cq: bool = True) -> SocialInsuranceRecord:
    return SocialInsuranceRecord(start_month=start, end_month=end, employer="某公司", paid_in_chongqing=in_cq)


def status(**fields) -> ApplicantStatus:  # type: ignore[no-untyped-def]
    return ApplicantStatus(**fields)


def messages(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.message for f in findings]


# -- counting -------------------------------------------------------------------------------


def test_full_years_exact_boundary_counts_the_year():
    assert full_years(dt.date(2019, 12, 31), CUTOFF) == 5


def test_full_years_one_day_short_does_not():
    assert full_years(dt.date(2020, 1, 1), CUTOFF) == 4


def test_full_years_from_29_february_completes_on_28_february():
    assert full_years(dt.date(2020, 2, 29), dt.date(2021, 2, 28)) == 1
    assert full_years(dt.date(2020, 2, 29), dt.date(2021, 2, 27)) == 0


def test_full_years_start_after_end_is_zero():
    assert full_years(dt.date(2025, 1, 1), CUTOFF) == 0


def test_insurance_months_overlaps_count_once_and_stop_at_cutoff():
    records = [
        si(dt.date(2024, 1, 1), dt.date(2024, 6, 1)),
        si(dt.date(2024, 4, 1), None),  # ongoing: to December 2024
        si(dt.date(2025, 1, 1), None),  # after the cut-off
    ]
    assert insurance_months(records, CUTOFF) == 12


def test_insurance_months_chongqing_only_skips_other_cities():
    records = [si(dt.date(2024, 1, 1), dt.date(2024, 6, 1)), si(dt.date(2024, 7, 1), None, in_cq=False)]
    assert insurance_months(records, CUTOFF) == 12
    assert insurance_months(records, CUTOFF, chongqing_only=True) == 6


# -- R4.7 -----------------------------------------------------------------------------------


def test_floating_cq_archive_with_12_months_in_and_out_of_city_passes():
    records = [si(dt.date(2024, 1, 1), dt.date(2024, 6, 1), in_cq=False), si(dt.date(2024, 7, 1), None)]
    found = check_floating(
        category="floating_cq_archive", status=status(archive_in_chongqing=True), insurance=records,
        cutoff=CUTOFF,
    )
    assert found == []


def test_floating_cq_archive_with_11_months_is_blocked():
    found = check_floating(
        category="floating_cq_archive", status=None, insurance=[si(dt.date(2024, 2, 1), None)], cutoff=CUTOFF
    )
    assert [(f.rule, f.field, f.blocking) for f in found] == [("R4.7", "social_insurance", True)]
    assert messages(found) == [
        "社会保险缴纳（市内外合计）：截至2024-12-31共11个月，至少需要12个月（R4.7）。"
    ]


def test_floating_remote_archive_counts_only_months_paid_in_chongqing():
    records = [si(dt.date(2023, 1, 1), dt.date(2023, 12, 1), in_cq=False), si(dt.date(2024, 2, 1), None)]
    found = check_floating(
        category="floating_remote_archive", status=status(archive_in_chongqing=False), insurance=records,
        cutoff=CUTOFF,
    )
    assert messages(found) == ["社会保险在渝缴纳：截至2024-12-31共11个月，至少需要12个月（R4.7）。"]


def test_floating_remote_archive_with_12_months_in_chongqing_passes():
    found = check_floating(
        category="floating_remote_archive", status=None, insurance=[si(dt.date(2024, 1, 1), None)],
        cutoff=CUTOFF,
    )
    assert found == []


def test_unit_elsewhere_archive_in_chongqing_one_year_exactly_passes():
    found = check_floating(
        category="floating_cq_archive",
        status=status(
            unit_in_chongqing=False, archive_in_chongqing=True, archive_since=dt.date(2023, 12, 31)
        ),
        insurance=[],
        cutoff=CUTOFF,
    )
    assert found == []


def test_unit_elsewhere_archive_in_chongqing_one_day_short_is_blocked():
    found = check_floating(
        category="floating_cq_archive",
        status=status(unit_in_chongqing=False, archive_in_chongqing=True, archive_since=dt.date(2024, 1, 1)),
        insurance=[],
        cutoff=CUTOFF,
    )
    assert messages(found) == ["档案在渝存放：自2024-01-01起至2024-12-31不满1年，至少需要1年（R4.7）。"]


def test_freelancer_needs_archive_storage_not_insurance():
    twelve_months = [si(dt.date(2024, 1, 1), None)]
    found = check_floating(category="freelancer", status=None, insurance=twelve_months, cutoff=CUTOFF)
    assert [f.field for f in found] == ["applicant_status.archive_since"]


def test_archive_location_contradicting_category_is_blocked():
    found = check_floating(
        category="floating_cq_archive",
        status=status(archive_in_chongqing=False),
        insurance=[si(dt.date(2024, 1, 1), None)],
        cutoff=CUTOFF,
    )
    assert [f.field for f in found] == ["applicant_status.archive_in_chongqing"]


def test_non_floating_category_has_no_r4_7_finding():
    assert check_floating(category="city_public", status=None, insurance=[], cutoff=CUTOFF) == []


# -- declarations in the database -----------------------------------------------------------


def with_title(declaration: Declaration, level: str, obtained_on: dt.date, **fields) -> CurrentTitle:  # type: ignore[no-untyped-def]
    values = {
        "basis": TitleBasis.REVIEWED,
        "series": TitleSeries.DIGITAL,
        "level": level,
        "specialty": "计算机应用技术",
        "obtained_on": obtained_on,
        "issuing_body": "重庆市人力资源和社会保障局",
        **fields,
    }
    return CurrentTitle.objects.create(declaration=declaration, **values)


def with_education(declaration: Declaration, level: int, graduated_on: dt.date = dt.date(2010, 7, 1)) -> None:
    EducationRecord.objects.create(
        declaration=declaration, level=level, school="重庆大学", major="计算机科学与技术",
        graduated_on=graduated_on,
    )


def rule(campaign, level: str, education: int, years: int = 0, prior: str = "") -> EligibilityRule:  # type: ignore[no-untyped-def]
    return EligibilityRule.objects.create(
        campaign=campaign, level=level, min_education=education, min_years=years, required_prior_level=prior
    )


def senior_rules(campaign) -> None:  # type: ignore[no-untyped-def]
    rule(campaign, Level.SENIOR_ENGINEER, EducationLevel.DOCTOR, 2, Level.ENGINEER)
    rule(campaign, Level.SENIOR_ENGINEER, EducationLevel.BACHELOR, 5, Level.ENGINEER)


def campaign_2024(world):  # type: ignore[no-untyped-def]
    return CampaignFactory(committee_host=world.committee_host, work_years_cutoff=CUTOFF)


@pytest.mark.django_db
def test_years_in_title_exactly_five_to_cutoff_passes(world, applicant):
    campaign = campaign_2024(world)
    senior_rules(campaign)
    d = draft(world, applicant, campaign=campaign, level=Level.SENIOR_ENGINEER)
    with_title(d, Level.ENGINEER, dt.date(2019, 12, 31))
    with_education(d, EducationLevel.BACHELOR)

    assert declaration_eligibility(d) == []


@pytest.mark.django_db
def test_years_in_title_one_day_short_is_blocked_naming_the_fact(world, applicant):
    campaign = campaign_2024(world)
    senior_rules(campaign)
    d = draft(world, applicant, campaign=campaign, level=Level.SENIOR_ENGINEER)
    with_title(d, Level.ENGINEER, dt.date(2020, 1, 1))
    with_education(d, EducationLevel.BACHELOR)

    found = declaration_eligibility(d)

    assert [(f.rule, f.blocking) for f in found] == [("R2.2", True)]
    assert found[0].message == (
        "申报高级工程师须满足以下条件之一：本科及以上学历，任工程师满5年；博士及以上学历，任工程师满2年。"
        "最高学历：本科；现职称：工程师，取得于2020-01-01，至2024-12-31满4年（R2.2）。"
    )


@pytest.mark.django_db
def test_doctor_meets_the_shorter_alternative(world, applicant):
    campaign = campaign_2024(world)
    senior_rules(campaign)
    d = draft(world, applicant, campaign=campaign, level=Level.SENIOR_ENGINEER)
    with_title(d, Level.ENGINEER, dt.date(2022, 12, 31))
    with_education(d, EducationLevel.DOCTOR)

    assert declaration_eligibility(d) == []


@pytest.mark.django_db
def test_education_below_every_alternative_is_blocked(world, applicant):
    campaign = campaign_2024(world)
    senior_rules(campaign)
    d = draft(world, applicant, campaign=campaign, level=Level.SENIOR_ENGINEER)
    with_title(d, Level.ENGINEER, dt.date(2010, 1, 1))
    with_education(d, EducationLevel.JUNIOR_COLLEGE)

    found = declaration_eligibility(d)

    assert [(f.field, f.blocking) for f in found] == [("education", True)]
    assert "最高学历：大专" in found[0].message


@pytest.mark.django_db
def test_missing_title_and_education_block_only_where_the_level_has_rules(world, applicant):
    campaign = campaign_2024(world)
    senior_rules(campaign)
    with_rules = draft(world, applicant, campaign=campaign, level=Level.SENIOR_ENGINEER)
    without_rules = draft(world, UserFactory(), campaign=campaign, level=Level.ENGINEER)

    assert [(f.field, f.blocking) for f in declaration_eligibility(with_rules)] == [
        ("current_title", True),
        ("education", True),
    ]
    assert [(f.field, f.blocking) for f in declaration_eligibility(without_rules)] == [
        ("current_title", False),
        ("education", False),
    ]


@pytest.mark.django_db
def test_green_channel_conditions_are_notes_not_blocks(world, applicant):
    campaign = campaign_2024(world)
    senior_rules(campaign)
    d = draft(
        world, applicant, campaign=campaign, level=Level.SENIOR_ENGINEER,
        declaration_type=DeclarationType.GREEN_CHANNEL,
    )
    with_title(d, Level.ENGINEER, dt.date(2023, 1, 1))
    with_education(d, EducationLevel.BACHELOR)

    assert [(f.rule, f.blocking) for f in declaration_eligibility(d)] == [("R2.2", False)]


@pytest.mark.django_db
def test_education_after_the_cutoff_does_not_count(world, applicant):
    campaign = campaign_2024(world)
    rule(campaign, Level.ENGINEER, EducationLevel.BACHELOR)
    d = draft(world, applicant, campaign=campaign)
    CurrentTitle.objects.create(declaration=d, basis=TitleBasis.NONE, series="")
    with_education(d, EducationLevel.BACHELOR, graduated_on=dt.date(2025, 7, 1))

    assert [f.field for f in declaration_eligibility(d) if f.blocking] == ["education"]


@pytest.mark.django_db
def test_organ_staff_without_title_declare_directly_with_a_note(world, applicant):
    campaign = campaign_2024(world)
    rule(campaign, Level.ENGINEER, EducationLevel.BACHELOR, 4, Level.ASSISTANT_ENGINEER)
    d = draft(world, applicant, campaign=campaign)
    CurrentTitle.objects.create(declaration=d, basis=TitleBasis.ORGAN_TRANSFER, series="")
    with_education(d, EducationLevel.BACHELOR)

    assert [(f.rule, f.blocking) for f in declaration_eligibility(d)] == [("R2.6", False)]


@pytest.mark.django_db
def test_no_title_meets_only_an_alternative_without_prior_title(world, applicant):
    campaign = campaign_2024(world)
    rule(campaign, Level.ASSISTANT_ENGINEER, EducationLevel.BACHELOR)
    rule(campaign, Level.ASSISTANT_ENGINEER, EducationLevel.JUNIOR_COLLEGE, 2, Level.TECHNICIAN)
    graduate = draft(world, applicant, campaign=campaign, level=Level.ASSISTANT_ENGINEER)
    CurrentTitle.objects.create(declaration=graduate, basis=TitleBasis.NONE, series="")
    with_education(graduate, EducationLevel.BACHELOR)
    college = draft(world, UserFactory(), campaign=campaign, level=Level.ASSISTANT_ENGINEER)
    CurrentTitle.objects.create(declaration=college, basis=TitleBasis.NONE, series="")
    with_education(college, EducationLevel.JUNIOR_COLLEGE)

    assert declaration_eligibility(graduate) == []
    assert [(f.field, f.blocking) for f in declaration_eligibility(college)] == [("current_title", True)]


@pytest.mark.django_db
def test_army_title_counts_as_prior_title(world, applicant):
    campaign = campaign_2024(world)
    rule(campaign, Level.ENGINEER, EducationLevel.BACHELOR, 4, Level.ASSISTANT_ENGINEER)
    d = draft(world, applicant, campaign=campaign)
    with_title(d, Level.ASSISTANT_ENGINEER, dt.date(2018, 6, 1), basis=TitleBasis.ARMY, issuing_body="某部队")
    with_education(d, EducationLevel.BACHELOR)

    assert declaration_eligibility(d) == []


# -- R2.3 -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [DeclarationType.TRANSFER, DeclarationType.ADDITIONAL])
def test_same_level_declaration_with_other_specialty_passes(world, applicant, kind):
    d = draft(world, applicant, declaration_type=kind)
    with_title(d, Level.ENGINEER, dt.date(2023, 1, 1), specialty="云计算")

    assert [f for f in declaration_eligibility(d) if f.blocking] == []


@pytest.mark.django_db
def test_transfer_with_engineering_series_title_passes(world, applicant):
    d = draft(world, applicant, declaration_type=DeclarationType.TRANSFER)
    with_title(d, Level.ENGINEER, dt.date(2023, 1, 1), series=TitleSeries.ENGINEERING, specialty="大数据")

    assert [f for f in declaration_eligibility(d) if f.blocking] == []


@pytest.mark.django_db
def test_transfer_with_lower_title_is_blocked(world, applicant):
    d = draft(world, applicant, declaration_type=DeclarationType.TRANSFER)
    with_title(d, Level.ASSISTANT_ENGINEER, dt.date(2015, 1, 1))

    found = [f for f in declaration_eligibility(d) if f.blocking]

    assert messages(found) == ["转评须已具备同级别职称：现职称为助理工程师，申报级别为工程师（R2.3）。"]


@pytest.mark.django_db
def test_additional_in_the_same_specialty_is_blocked(world, applicant):
    d = draft(world, applicant, declaration_type=DeclarationType.ADDITIONAL)
    with_title(d, Level.ENGINEER, dt.date(2015, 1, 1), specialty="大数据")

    assert [f.field for f in declaration_eligibility(d) if f.blocking] == ["current_title.specialty"]


# -- R1.2 -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_civil_servant_is_blocked(world, applicant):
    d = draft(world, applicant)
    ApplicantStatus.objects.create(declaration=d, is_civil_servant=True)

    assert messages(declaration_eligibility(d)[:1]) == [
        "身份：公务员或参照公务员法管理人员，不能申报职称（R1.2）。"
    ]


@pytest.mark.django_db
def test_retiree_is_blocked_from_the_approved_date(world, applicant):
    d = draft(world, applicant)
    ApplicantStatus.objects.create(declaration=d, retirement_approved_on=TODAY)

    found = [f for f in declaration_eligibility(d, today=TODAY) if f.blocking]

    assert messages(found) == ["经批准的退休日期：2024-09-10，自该日起不能申报职称（R1.2）。"]


@pytest.mark.django_db
def test_retiree_may_declare_the_day_before_retirement(world, applicant):
    d = draft(world, applicant)
    ApplicantStatus.objects.create(declaration=d, retirement_approved_on=TODAY + dt.timedelta(days=1))

    assert [f for f in declaration_eligibility(d, today=TODAY) if f.blocking] == []


def _sanction(applicant, starts: dt.date, ends: dt.date) -> SanctionEntry:  # type: ignore[no-untyped-def]
    return SanctionEntry.objects.create(
        id_number=applicant.id_number, reason="2021年度申报材料弄虚作假", starts_on=starts, ends_on=ends
    )


@pytest.mark.django_db
def test_sanction_period_active_on_its_last_day_blocks_with_the_end_date(world, applicant):
    d = draft(world, applicant)
    _sanction(applicant, dt.date(2021, 9, 11), TODAY)

    found = [f for f in declaration_eligibility(d, today=TODAY) if f.blocking]

    assert messages(found) == [
        "处于职称评审失信影响期（2021年度申报材料弄虚作假），至2024-09-10止，期间不能申报（R1.2）。"
    ]


@pytest.mark.django_db
def test_sanction_period_ended_yesterday_does_not_block(world, applicant):
    d = draft(world, applicant)
    _sanction(applicant, dt.date(2021, 9, 10), TODAY - dt.timedelta(days=1))

    assert [f for f in declaration_eligibility(d, today=TODAY) if f.blocking] == []


@pytest.mark.django_db
def test_sanction_of_another_person_does_not_block(world, applicant):
    d = draft(world, applicant)
    _sanction(UserFactory(), dt.date(2021, 9, 10), TODAY)

    assert [f for f in declaration_eligibility(d, today=TODAY) if f.blocking] == []


# -- submission -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_refused_listing_every_blocking_finding_and_nothing_changed(world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    ApplicantStatus.objects.create(declaration=d, is_civil_servant=True, archive_in_chongqing=True)
    SocialInsuranceRecord.objects.create(
        declaration=d, start_month=dt.date(world.campaign.work_years_cutoff.year, 2, 1), employer="某公司"
    )
    SanctionEntry.objects.create(
        id_number=applicant.id_number, reason="弄虚作假", starts_on=dt.date(2020, 1, 1),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )
    before = stored(d)

    error = refused(lambda: submit(d), "not_eligible")

    message = str(error.message)
    assert message.startswith("不符合申报条件：")
    for text in ("公务员", "失信影响期", "社会保险缴纳（市内外合计）：", "共11个月"):
        assert text in message
    assert stored(d) == before
    assert before["state"] == State.DRAFT


@pytest.mark.django_db
def test_submit_floating_with_twelve_months_accepted(world, applicant):
    d = draft(world, applicant, category="floating_cq_archive")
    ApplicantStatus.objects.create(declaration=d, archive_in_chongqing=True)
    SocialInsuranceRecord.objects.create(
        declaration=d, start_month=dt.date(world.campaign.work_years_cutoff.year, 1, 1), employer="某公司"
    )

    assert submit(d).state == State.IN_REVIEW


@pytest.mark.django_db
def test_submit_with_rule_met_accepted(world, applicant):
    rule(world.campaign, Level.ENGINEER, EducationLevel.BACHELOR, 4, Level.ASSISTANT_ENGINEER)
    d = draft(world, applicant)
    cutoff = world.campaign.work_years_cutoff
    with_title(d, Level.ASSISTANT_ENGINEER, cutoff.replace(year=cutoff.year - 4))
    with_education(d, EducationLevel.BACHELOR)

    assert submit(d).state == State.IN_REVIEW


# -- R2.4 -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_normal_refused_while_a_green_channel_declaration_is_under_way(world, applicant):
    submit(draft(world, applicant, declaration_type=DeclarationType.GREEN_CHANNEL))
    second = draft(world, applicant)
    before = stored(second)

    refused(lambda: submit(second), "one_normal_per_year")

    assert stored(second) == before


@pytest.mark.django_db
@pytest.mark.parametrize("ended", [State.FAILED, State.NOT_RECOMMENDED, State.NOT_ACCEPTED])
def test_normal_accepted_after_a_failed_green_channel_declaration(world, applicant, ended):
    green = submit(draft(world, applicant, declaration_type=DeclarationType.GREEN_CHANNEL))
    Declaration.objects.filter(pk=green.pk).update(state=ended)

    assert submit(draft(world, applicant)).state == State.IN_REVIEW


@pytest.mark.django_db
def test_normal_refused_after_a_failed_normal_declaration(world, applicant):
    first = submit(draft(world, applicant))
    Declaration.objects.filter(pk=first.pk).update(state=State.FAILED)

    refused(lambda: submit(draft(world, applicant)), "one_normal_per_year")


@pytest.mark.django_db
def test_resubmit_refused_when_correction_made_declaration_ineligible(world, applicant):
    from core.exceptions import ServiceError
    from declarations.enums import State
    from declarations.models import ApplicantStatus, Declaration
    from declarations.services import declaration_create, declaration_resubmit, declaration_submit
    from review.services import step_return
    from tests.conftest import picks_for

    d = declaration_create(
        actor=applicant, campaign=world.campaign, level="engineer", field="big_data",
        category="city_public", **picks_for(world, "city_public"),
    )
    d = declaration_submit(declaration=d, actor=applicant, integrity_accepted=True)
    d = step_return(declaration=d, actor=world.admin(world.unit), defects=["补充材料"])
    ApplicantStatus.objects.update_or_create(declaration=d, defaults={"is_civil_servant": True})

    with pytest.raises(ServiceError) as exc:
        declaration_resubmit(declaration=d, actor=applicant)

    assert exc.value.code == "not_eligible"
    assert Declaration.objects.get(pk=d.pk).state == State.RETURNED
