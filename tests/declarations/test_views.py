"""The applicant's pages: create and edit a draft, submit with the commitment, my applications."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.services import step_pass, step_return
from tests.conftest import picks_for, publicise_and_release
from tests.factories import UserFactory, make_eligible


def _form_data(world, category="city_public", **overrides):
    data = {
        "campaign": world.campaign.pk,
        "level": "engineer",
        "field": "big_data",
        "declaration_type": "normal",
        "category": category,
        "unit": "",
        "competent_department": "",
        "personnel_agency": "",
        "district_hr": "",
        "management_body": "",
    }
    data.update({slot: org.pk for slot, org in picks_for(world, category).items()})
    data.update(overrides)
    return data


def _create_via_page(client, world, category="city_public", **overrides):
    response = client.post(reverse("declarations:create"), _form_data(world, category, **overrides))
    assert response.status_code == 302
    return Declaration.objects.order_by("-pk").first()


def _submitted(world, applicant, category="city_public", declaration_type="normal"):
    declaration = declaration_create(
        actor=applicant,
        campaign=world.campaign,
        level="engineer",
        field="big_data",
        category=category,
        declaration_type=declaration_type,
        **picks_for(world, category),
    )
    make_eligible(declaration)
    return declaration_submit(declaration=declaration, actor=applicant, integrity_accepted=True)


def test_create_saves_draft_with_chosen_organisations(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world, "floating_cq_archive")
    assert declaration.applicant == applicant
    assert declaration.state == State.DRAFT
    assert declaration.unit == world.unit
    assert declaration.personnel_agency == world.agency
    assert declaration.district_hr == world.district_hr


def test_create_saves_draft_even_when_incomplete(client, world, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("declarations:create"),
        {"campaign": world.campaign.pk, "declaration_type": "normal"},
    )
    declaration = Declaration.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response.url == declaration.get_absolute_url()
    assert declaration.level == ""
    assert declaration.state == State.DRAFT


def test_create_page_explains_picks_each_category_needs(client, world, applicant):
    client.force_login(applicant)
    response = client.get(reverse("declarations:create"))
    form = response.context["form"]
    assert "R4.3" in form.fields["personnel_agency"].help_text
    assert "R4.5" in form.fields["personnel_agency"].help_text
    assert "R4.1" not in form.fields["personnel_agency"].help_text
    assert "R4.6" in form.fields["management_body"].help_text
    assert "R3.4" in response.content.decode()


def test_create_page_limits_each_pick_to_its_kind(client, world, applicant):
    client.force_login(applicant)
    form = client.get(reverse("declarations:create")).context["form"]
    assert list(form.fields["unit"].queryset) == [world.unit]
    assert list(form.fields["personnel_agency"].queryset) == [world.agency]
    assert list(form.fields["management_body"].queryset) == [world.management_body]
    assert set(form.fields["district_hr"].queryset) == {world.district_hr, world.other_district_hr}
    assert set(form.fields["competent_department"].queryset) == {
        world.city_department,
        world.district_department,
    }


def test_create_refuses_organisation_of_wrong_kind(client, world, applicant):
    client.force_login(applicant)
    response = client.post(reverse("declarations:create"), _form_data(world, unit=world.agency.pk))
    assert response.status_code == 200
    assert response.context["form"].has_error("unit")
    assert Declaration.objects.count() == 0


def test_create_by_bound_administrator_is_refused_citing_r13(client, world):
    admin = world.admin(world.unit)
    client.force_login(admin)
    response = client.post(reverse("declarations:create"), _form_data(world), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("R1.3" in m for m in messages)
    assert Declaration.objects.count() == 0


def test_create_page_for_bound_administrator_explains_r13(client, world):
    client.force_login(world.admin(world.agency))
    response = client.get(reverse("declarations:create"))
    assert response.status_code == 200
    assert "R1.3" in response.content.decode()
    assert '<form method="post" class="card"' not in response.content.decode()


def test_create_requires_login(client, world):
    response = client.get(reverse("declarations:create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_submit_via_page_sends_to_first_step_and_records_ip(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    response = client.post(
        reverse("declarations:submit", args=[declaration.pk]),
        {"integrity_accepted": "on"},
        REMOTE_ADDR="10.1.2.3",
    )
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert declaration.state == State.IN_REVIEW
    assert declaration.current_organisation == world.unit
    assert declaration.integrity_signed_ip == "10.1.2.3"
    assert declaration.integrity_signed_at is not None


def test_detail_of_draft_shows_integrity_commitment(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    content = client.get(declaration.get_absolute_url()).content.decode()
    assert "本人承诺所填报信息和提交材料真实、准确、完整，如有弄虚作假，自愿承担相应责任" in content
    assert reverse("declarations:submit", args=[declaration.pk]) in content
    assert reverse("declarations:edit", args=[declaration.pk]) in content
    assert reverse("declarations:withdraw", args=[declaration.pk]) in content


def test_submit_without_commitment_shows_error_and_keeps_draft(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    response = client.post(reverse("declarations:submit", args=[declaration.pk]), {})
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "提交前须签署诚信承诺（R5.2）。" in response.content.decode()
    assert declaration.state == State.DRAFT


def test_submit_twice_shows_message_and_changes_nothing(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    url = reverse("declarations:submit", args=[declaration.pk])
    client.post(url, {"integrity_accepted": "on"})
    declaration = Declaration.objects.get(pk=declaration.pk)
    before = (declaration.state, declaration.current_step, declaration.state_changed_at)
    response = client.post(url, {"integrity_accepted": "on"}, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "当前状态为“审核中”，不能执行“提交申报”。" in response.content.decode()
    assert (declaration.state, declaration.current_step, declaration.state_changed_at) == before


def test_submit_with_missing_organisation_tells_to_ask_it_to_register(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world, competent_department="")
    response = client.post(
        reverse("declarations:submit", args=[declaration.pk]),
        {"integrity_accepted": "on"},
        follow=True,
    )
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert "R3.4" in response.content.decode()
    assert declaration.state == State.DRAFT


def test_submit_incomplete_draft_shows_what_is_missing(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world, level="")
    response = client.post(
        reverse("declarations:submit", args=[declaration.pk]),
        {"integrity_accepted": "on"},
        follow=True,
    )
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert "申报信息不完整" in response.content.decode()
    assert declaration.state == State.DRAFT


def test_submit_get_is_not_allowed(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    assert client.get(reverse("declarations:submit", args=[declaration.pk])).status_code == 405


def test_edit_draft_saves_fields(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    data = _form_data(world, "freelancer", level="senior_engineer")
    data.pop("campaign")
    response = client.post(reverse("declarations:edit", args=[declaration.pk]), data)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert declaration.level == "senior_engineer"
    assert declaration.category == "freelancer"
    assert declaration.personnel_agency == world.agency
    assert declaration.unit is None


def test_edit_page_prefills_the_draft(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    form = client.get(reverse("declarations:edit", args=[declaration.pk])).context["form"]
    assert form["unit"].value() == world.unit.pk
    assert form["level"].value() == "engineer"


def test_edit_after_submission_is_refused_and_changes_nothing(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(applicant)
    data = _form_data(world, level="technician")
    data.pop("campaign")
    response = client.post(reverse("declarations:edit", args=[declaration.pk]), data, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "申报内容不能修改" in response.content.decode()
    assert declaration.level == "engineer"


def test_withdraw_draft_by_applicant(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    response = client.post(
        reverse("declarations:withdraw", args=[declaration.pk]), {"confirm": "on", "reason": "暂不申报"}
    )
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert response.url == reverse("declarations:list")
    assert declaration.state == State.WITHDRAWN


def test_withdraw_without_confirmation_changes_nothing(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    response = client.post(reverse("declarations:withdraw", args=[declaration.pk]), {})
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert declaration.state == State.DRAFT


def test_withdraw_twice_shows_message(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    url = reverse("declarations:withdraw", args=[declaration.pk])
    client.post(url, {"confirm": "on"})
    response = client.post(url, {"confirm": "on"}, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "不能执行“撤回申报”" in response.content.decode()
    assert declaration.state == State.WITHDRAWN


def test_my_applications_shows_current_step_contact(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(applicant)
    content = client.get(reverse("declarations:list")).content.decode()
    assert world.unit.contact_person in content
    assert world.unit.contact_phone in content
    assert declaration.chain.code in content
    assert declaration.chain.name in content
    assert 'class="route-step route-current" aria-current="step"' in content


def test_my_applications_follows_the_declaration_up_the_chain(client, world, applicant):
    declaration = _submitted(world, applicant)
    declaration = publicise_and_release(declaration, world)
    step_pass(declaration=declaration, actor=world.admin(world.unit))
    client.force_login(applicant)
    response = client.get(reverse("declarations:list"))
    progress = response.context["items"][0]
    assert progress.contact == world.city_department
    assert [(item.organisation, item.status) for item in progress.route] == [
        (world.unit, "done"),
        (world.city_department, "current"),
        (world.committee_host, "pending"),
    ]
    assert world.city_department.contact_phone in response.content.decode()


def test_my_applications_at_committee_shows_committee_host_contact(client, world, applicant):
    declaration = _submitted(world, applicant)
    while declaration.state == State.IN_REVIEW:
        declaration = publicise_and_release(declaration, world)
        declaration = step_pass(declaration=declaration, actor=world.admin(declaration.current_organisation))
    client.force_login(applicant)
    response = client.get(reverse("declarations:list"))
    progress = response.context["items"][0]
    assert progress.contact == world.committee_host
    assert progress.route[-1].status == "current"
    assert world.committee_host.contact_person in response.content.decode()


def test_my_applications_shows_defects_of_latest_return(client, world, applicant):
    declaration = _submitted(world, applicant)
    step_return(declaration=declaration, actor=world.admin(world.unit), defects=["缺少学历证书扫描件"])
    client.force_login(applicant)
    content = client.get(reverse("declarations:list")).content.decode()
    assert "缺少学历证书扫描件" in content
    assert world.unit.contact_phone in content


def test_my_applications_lists_only_own_declarations(client, world, applicant):
    mine = _submitted(world, applicant)
    other = _submitted(world, UserFactory())
    client.force_login(applicant)
    items = client.get(reverse("declarations:list")).context["items"]
    assert [item.declaration for item in items] == [mine]
    assert other not in [item.declaration for item in items]


def test_detail_of_another_applicants_declaration_is_404(client, world, applicant):
    declaration = _submitted(world, UserFactory())
    client.force_login(applicant)
    assert client.get(declaration.get_absolute_url()).status_code == 404
    for name in ("edit", "submit", "resubmit", "withdraw"):
        url = reverse(f"declarations:{name}", args=[declaration.pk])
        assert client.post(url, {"confirm": "on", "integrity_accepted": "on"}).status_code == 404


def test_detail_of_a_draft_is_404_for_its_future_reviewer(client, world, applicant):
    client.force_login(applicant)
    declaration = _create_via_page(client, world)
    client.force_login(world.admin(world.unit))
    assert client.get(declaration.get_absolute_url()).status_code == 404


def test_detail_requires_login(client, world, applicant):
    declaration = _submitted(world, applicant)
    response = client.get(declaration.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("category", ["city_public", "floating_cq_archive"])
def test_my_applications_runs_same_number_of_queries_for_1_and_20(client, world, applicant, category):
    def make(n):
        for _ in range(n):
            declaration = _submitted(world, applicant, category, declaration_type="additional")
            declaration = publicise_and_release(declaration, world)
            step_pass(declaration=declaration, actor=world.admin(world.unit))

    client.force_login(applicant)
    make(1)
    client.get(reverse("declarations:list"))  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("declarations:list"))
    make(19)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("declarations:list"))
    assert len(response.context["items"]) == 20
    assert len(twenty) == len(one)


def test_organisation_picks_only_offer_active_organisations(client, world, applicant):
    world.agency.is_active = False
    world.agency.save()
    client.force_login(applicant)
    form = client.get(reverse("declarations:create")).context["form"]
    assert list(form.fields["personnel_agency"].queryset) == []
