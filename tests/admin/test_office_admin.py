"""The title office's admin: every setting editable, nothing inconsistent saved.

Each test posts the admin's own forms as the office superuser, as a browser would.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, TitleAdministrator
from committees.models import Ballot, Committee, CommitteeRole, Expert, VoteReceipt
from core.models import AuditEvent, CalendarYear, NotificationTemplate
from declarations.enums import State
from declarations.models import Campaign, EligibilityRule, SanctionEntry
from review.models import ChainStep, RoutingChain
from tests.factories import (
    CampaignFactory,
    DeclarationFactory,
    OrganisationFactory,
    UserFactory,
    make_id_number,
)


@pytest.fixture
def office(client, db):
    user = get_user_model().objects.create_superuser(
        username="office", email="office@example.cn", password="pass-1234-word", real_name="职改办"
    )
    client.force_login(user)
    return client


def _org(kind: str, **kw) -> Organisation:
    kw.setdefault("level", AdminLevel.CITY)
    kw.setdefault("district", District.CITY)
    return OrganisationFactory(kind=kind, **kw)


def _management(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def _errors(response) -> str:
    """The admin's error texts on a refused form (the page is shown again, 200)."""
    assert response.status_code == 200, response.status_code
    context = response.context
    texts = [str(e) for e in context["errors"]] if context.get("errors") else []
    for formset in context.get("inline_admin_formsets", []):
        texts += [str(e) for e in formset.formset.non_form_errors()]
        texts += [str(f.errors) for f in formset.formset.forms if f.errors]
    return " ".join(texts)


# --- campaigns, eligibility rules, fees (R8.3, R2.2, R8.5) ---------------------------------


def _campaign_data(host: Organisation, approval: Organisation, **over) -> dict:
    data = {
        "name": "2030年度数字技术职称",
        "year": "2030",
        "committee_host": str(host.pk),
        "approval_body": str(approval.pk),
        "filing_opens_at_0": "2030-09-01",
        "filing_opens_at_1": "09:00:00",
        "filing_closes_at_0": "2030-09-15",
        "filing_closes_at_1": "18:00:00",
        "chain_deadline_0": "2030-09-30",
        "chain_deadline_1": "18:00:00",
        "work_years_cutoff": "2030-12-31",
        "material_valid_until": "",
        "fee_senior": "420",
        "fee_intermediate": "240",
        "fee_junior": "120",
        **_management("eligibility_rules", []),
    }
    data.update(over)
    return data


@pytest.fixture
def campaign_orgs(db):
    return _org(OrgKind.COMMITTEE_HOST), _org(OrgKind.APPROVAL_BODY)


def test_campaign_consistent_is_saved(office, campaign_orgs):
    rules = _management(
        "eligibility_rules",
        [
            {
                "level": "engineer",
                "min_education": "3",
                "min_years": "4",
                "required_prior_level": "assistant_engineer",
            }
        ],
    )
    response = office.post(
        reverse("admin:declarations_campaign_add"), _campaign_data(*campaign_orgs, **rules)
    )

    assert response.status_code == 302, _errors(response)
    campaign = Campaign.objects.get(year=2030)
    assert campaign.chain_deadline > campaign.filing_closes_at
    assert EligibilityRule.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"filing_closes_at_0": "2030-08-31"}, "截止时间必须晚于开始时间"),
        ({"filing_closes_at_0": "2031-06-30", "chain_deadline_0": "2031-07-01"}, "不能超过180天"),
        ({"chain_deadline_0": "2030-09-10"}, "不能早于个人申报截止时间"),
        ({"chain_deadline_0": "2031-03-01"}, "不能晚于个人申报截止后120天"),
        ({"year": "2029"}, "年度须与个人申报开始时间所在年份一致"),
        ({"work_years_cutoff": "2035-12-31"}, "任职年限计算截止日期"),
        ({"material_valid_until": "2030-09-01"}, "材料有效截止日期"),
        ({"fee_senior": "100"}, "高级 ≥ 中级 ≥ 初级"),
        ({"fee_junior": "-1"}, "不能为负数"),
    ],
)
def test_campaign_inconsistent_is_refused(office, campaign_orgs, over, message):
    response = office.post(reverse("admin:declarations_campaign_add"), _campaign_data(*campaign_orgs, **over))

    assert message in _errors(response)
    assert not Campaign.objects.filter(year__in=[2029, 2030]).exists()


def test_campaign_with_wrong_kind_of_organisation_is_refused(office, campaign_orgs):
    host, _approval = campaign_orgs
    not_an_approval_body = _org(OrgKind.DISTRICT_HR)

    response = office.post(
        reverse("admin:declarations_campaign_add"), _campaign_data(host, not_an_approval_body)
    )

    assert "approval_body" in response.context["adminform"].form.errors
    assert not Campaign.objects.exists() or not Campaign.objects.filter(year=2030).exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"level": "engineer", "min_education": "3", "min_years": "4", "required_prior_level": ""}] * 2,
            "重复",
        ),
        (
            [
                {
                    "level": "engineer",
                    "min_education": "3",
                    "min_years": "4",
                    "required_prior_level": "engineer",
                }
            ],
            "必须低于申报级别",
        ),
        (
            [{"level": "engineer", "min_education": "3", "min_years": "99", "required_prior_level": ""}],
            "不能超过40年",
        ),
    ],
)
def test_eligibility_rules_inconsistent_are_refused(office, campaign_orgs, rows, message):
    data = _campaign_data(*campaign_orgs, **_management("eligibility_rules", rows))

    response = office.post(reverse("admin:declarations_campaign_add"), data)

    assert message in _errors(response)
    assert not EligibilityRule.objects.exists()


# --- routing chains (R4) --------------------------------------------------------------------


def _chain_post(office, chain: RoutingChain, steps: list[dict]):
    existing = list(chain.steps.order_by("position"))
    rows = []
    for i, step in enumerate(steps):
        row = {"chain": str(chain.pk), "required_level": "", "same_district_as": "", **step}
        if i < len(existing):
            row["id"] = str(existing[i].pk)
        rows.append(row)
    rows.extend(
        {
            "id": str(extra.pk),
            "chain": str(chain.pk),
            "position": str(extra.position),
            "slot": extra.slot,
            "org_kind": extra.org_kind,
            "DELETE": "on",
        }
        for extra in existing[len(steps) :]
    )
    data = {
        "code": chain.code,
        "category": chain.category,
        "name": chain.name,
        "description": chain.description,
        **_management("steps", rows, initial=len(existing)),
    }
    return office.post(reverse("admin:review_routingchain_change", args=[chain.pk]), data)


R4_3 = [
    {"position": "0", "slot": "unit", "org_kind": "unit"},
    {"position": "1", "slot": "personnel_agency", "org_kind": "personnel_agency"},
    {
        "position": "2",
        "slot": "district_hr",
        "org_kind": "district_hr",
        "same_district_as": "personnel_agency",
    },
]


def test_chain_unchanged_is_saved(office):
    chain = RoutingChain.objects.get(code="R4.3")

    response = _chain_post(office, chain, R4_3)

    assert response.status_code == 302, _errors(response)
    assert list(chain.steps.values_list("slot", flat=True)) == ["unit", "personnel_agency", "district_hr"]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([R4_3[0], R4_3[2] | {"position": "2"}], "缺少环节"),
        ([R4_3[0], R4_3[1] | {"position": "0"}, R4_3[2]], "重复"),
        (
            [R4_3[0], R4_3[2] | {"position": "1", "same_district_as": "personnel_agency"}],
            "之前的环节中没有该机构来源",
        ),
        ([R4_3[0], R4_3[1] | {"org_kind": "unit"}, R4_3[2]], "只能由"),
        ([R4_3[0] | {"required_level": "city"}, R4_3[1], R4_3[2]], "只有主管部门环节可以要求层级"),
        ([R4_3[0] | {"same_district_as": "unit"}, R4_3[1], R4_3[2]], "不能要求与自身同一区县"),
        ([], "至少要有一个审核环节"),
    ],
)
def test_chain_inconsistent_is_refused(office, steps, message):
    chain = RoutingChain.objects.get(code="R4.3")
    before = list(ChainStep.objects.filter(chain=chain).values_list("position", "slot", "org_kind"))

    response = _chain_post(office, chain, steps)

    assert message in _errors(response)
    assert list(ChainStep.objects.filter(chain=chain).values_list("position", "slot", "org_kind")) == before


# --- organisations and their administrators (R3) -------------------------------------------


def _org_data(org: Organisation, **over) -> dict:
    data = {
        "name": org.name,
        "kind": org.kind,
        "level": org.level,
        "district": org.district,
        "credit_code": "",
        "superior": str(org.superior_id or ""),
        "contact_person": org.contact_person,
        "contact_phone": org.contact_phone,
        "complaint_phone": "",
        "is_active": "on",
        "registered_by": "",
    }
    data.update(over)
    return data


def test_organisation_superior_cycle_and_wrong_kind_refused(office):
    hr = _org(OrgKind.DISTRICT_HR, level=AdminLevel.DISTRICT, district=District.JIULONGPO)
    dept = _org(OrgKind.COMPETENT_DEPARTMENT, superior=hr)
    unit = _org(OrgKind.UNIT, superior=dept)
    url = reverse("admin:accounts_organisation_change", args=[dept.pk])

    assert "不能是本机构" in _errors(office.post(url, _org_data(dept, superior=str(dept.pk))))
    assert "形成循环" in _errors(office.post(url, _org_data(dept, superior=str(unit.pk))))
    other_unit = _org(OrgKind.UNIT)
    url = reverse("admin:accounts_organisation_change", args=[unit.pk])
    assert "的上级机构不能是" in _errors(office.post(url, _org_data(unit, superior=str(other_unit.pk))))

    response = office.post(url, _org_data(unit, contact_person="新联系人"))
    assert response.status_code == 302, _errors(response)
    unit.refresh_from_db()
    assert (unit.contact_person, unit.superior_id) == ("新联系人", dept.pk)


def test_binding_someone_with_open_declaration_is_refused(office):
    unit = _org(OrgKind.UNIT)
    declaration = DeclarationFactory()
    type(declaration).objects.filter(pk=declaration.pk).update(state=State.IN_REVIEW)
    url = reverse("admin:accounts_titleadministrator_add")
    data = {"user": str(declaration.applicant_id), "organisation": str(unit.pk), "is_active": "on"}

    assert "R1.3" in _errors(office.post(url, data))

    response = office.post(url, {**data, "user": str(UserFactory().pk)})
    assert response.status_code == 302, _errors(response)
    assert TitleAdministrator.objects.filter(organisation=unit, is_active=True).count() == 1


def test_binding_to_inactive_organisation_is_refused(office):
    unit = _org(OrgKind.UNIT, is_active=False)
    data = {"user": str(UserFactory().pk), "organisation": str(unit.pk), "is_active": "on"}

    assert "已停用" in _errors(office.post(reverse("admin:accounts_titleadministrator_add"), data))


# --- the sanction list (R1.2) and the holiday calendar (R9.1) -------------------------------


def test_sanction_entry_checked(office):
    url = reverse("admin:declarations_sanctionentry_add")
    good = {
        "id_number": make_id_number().lower(),
        "name": "李四",
        "reason": "材料造假",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
    }

    assert "不能早于开始日期" in _errors(office.post(url, {**good, "ends_on": "2023-12-31"}))
    wrong_check = good["id_number"][:17] + ("1" if good["id_number"][17] == "0" else "0")
    assert "校验位" in _errors(
        office.post(
            url,
            {**good, "id_number": wrong_check},
        )
    )
    response = office.post(url, good)
    assert response.status_code == 302, _errors(response)
    assert SanctionEntry.objects.get().id_number == good["id_number"].upper()


def test_calendar_year_published_without_document_is_refused(office):
    url = reverse("admin:core_calendaryear_add")

    assert "通知文号" in _errors(office.post(url, {"year": "2099", "published": "on", "source": ""}))
    assert not CalendarYear.objects.filter(year=2099).exists()


# --- committees and the expert pool (R7) ----------------------------------------------------


def _committee_data(host, approval, roles=(), **over) -> dict:
    data = {
        "name": "测试评委会",
        "host": str(host.pk),
        "approval_body": str(approval.pk),
        "levels": "[]",
        "fields": "[]",
        "draw_method": "随机抽取",
        "is_active": "on",
        **_management("roles", list(roles)),
    }
    data.update(over)
    return data


def _expert(**kw) -> Expert:
    defaults = {
        "name": "专家",
        "field": "big_data",
        "title": "正高级工程师",
        "employer_name": "某单位",
        "term_start": dt.date(2024, 1, 1),
    }
    return Expert.objects.create(**(defaults | kw))


def test_committee_consistent_is_saved(office, campaign_orgs):
    a, b = _expert(name="甲"), _expert(name="乙")
    roles = [{"expert": str(a.pk), "role": "chair"}, {"expert": str(b.pk), "role": "member"}]

    response = office.post(
        reverse("admin:committees_committee_add"),
        _committee_data(*campaign_orgs, roles, levels='["engineer"]'),
    )

    assert response.status_code == 302, _errors(response)
    committee = Committee.objects.get(name="测试评委会")
    assert committee.levels == ["engineer"]
    assert CommitteeRole.objects.filter(committee=committee).count() == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"levels": '["grand_master"]'}, "未知的代码"),
        ({"fields": '["astrology"]'}, "未知的代码"),
        ({"levels": '"engineer"'}, "列表"),
    ],
)
def test_committee_unknown_levels_or_fields_refused(office, campaign_orgs, over, message):
    response = office.post(reverse("admin:committees_committee_add"), _committee_data(*campaign_orgs, **over))

    assert message in _errors(response)
    assert not Committee.objects.exists()


def test_committee_approval_body_must_be_an_approval_body(office, campaign_orgs):
    host, _approval = campaign_orgs
    hr = _org(OrgKind.DISTRICT_HR)

    response = office.post(reverse("admin:committees_committee_add"), _committee_data(host, hr))

    assert "approval_body" in response.context["adminform"].form.errors
    assert not Committee.objects.exists()


def test_committee_with_two_chairs_refused(office, campaign_orgs):
    a, b = _expert(name="甲"), _expert(name="乙")
    roles = [{"expert": str(a.pk), "role": "chair"}, {"expert": str(b.pk), "role": "chair"}]

    response = office.post(reverse("admin:committees_committee_add"), _committee_data(*campaign_orgs, roles))

    assert "只能有一名主任委员" in _errors(response)
    assert not Committee.objects.exists()


def test_expert_term_ending_before_start_refused(office):
    data = {
        "name": "王五",
        "field": "big_data",
        "title": "高级工程师",
        "employer_name": "某单位",
        "phone": "",
        "term_start": "2025-01-01",
        "term_end": "2024-12-31",
        "is_active": "on",
        "user": "",
        "employer": "",
    }
    url = reverse("admin:committees_expert_add")

    assert "聘期结束日期不能早于开始日期" in _errors(office.post(url, data))
    response = office.post(url, {**data, "term_end": "2027-12-31"})
    assert response.status_code == 302, _errors(response)
    assert Expert.objects.get(name="王五").term_end == dt.date(2027, 12, 31)


# --- notification templates -----------------------------------------------------------------


def test_notification_template_checked_and_saved(office):
    url = reverse("admin:core_notificationtemplate_add")
    good = {
        "kind": "review_waiting",
        "subject": "【待审核】{{ title }}",
        "body": "{{ recipient_name }}：{{ body }}",
        "is_active": "on",
    }

    assert "语法错误" in _errors(office.post(url, {**good, "body": "{% if %}"}))
    assert "语法错误" in _errors(office.post(url, {**good, "subject": "{{ title|nosuchfilter }}"}))
    assert "为空" in _errors(office.post(url, {**good, "subject": "{# nothing #}"}))
    assert "kind" in office.post(url, {**good, "kind": "no_such_kind"}).context["adminform"].form.errors
    response = office.post(url, good)
    assert response.status_code == 302, _errors(response)
    assert NotificationTemplate.objects.get().kind == "review_waiting"


# --- what must stay read-only ---------------------------------------------------------------


def test_audit_trail_ballots_and_receipts_not_editable_in_admin(office):
    assert Ballot not in admin.site._registry
    assert VoteReceipt not in admin.site._registry
    audit_admin = admin.site._registry[AuditEvent]
    request = office.get(reverse("admin:index")).wsgi_request
    assert not audit_admin.has_add_permission(request)
    assert not audit_admin.has_change_permission(request)
    assert not audit_admin.has_delete_permission(request)
    assert office.get(reverse("admin:core_auditevent_add")).status_code == 403


def test_every_admin_page_opens(office, campaign_orgs):
    CampaignFactory()
    request = office.get(reverse("admin:index")).wsgi_request
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert office.get(reverse(f"{name}_changelist")).status_code == 200, name
        if model_admin.has_add_permission(request):
            assert office.get(reverse(f"{name}_add")).status_code == 200, name
