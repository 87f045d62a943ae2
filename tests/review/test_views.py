"""The administrator's pages: the queue, step decisions (R6.1) and the committee's check (R6.6)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_create, declaration_submit
from review.enums import DecisionKind
from review.models import Decision
from review.services import step_pass
from tests.conftest import EXPECTED_ROUTES, picks_for, publicise_and_release
from tests.factories import UserFactory, make_eligible


def _create_and_submit_via_pages(client, world, applicant, category):
    client.force_login(applicant)
    data = {
        "campaign": world.campaign.pk,
        "level": "engineer",
        "field": "big_data",
        "declaration_type": "normal",
        "category": category,
        **{slot: org.pk for slot, org in picks_for(world, category).items()},
    }
    response = client.post(reverse("declarations:create"), data)
    assert response.status_code == 302
    declaration = make_eligible(Declaration.objects.get(applicant=applicant))
    response = client.post(
        reverse("declarations:submit", args=[declaration.pk]), {"integrity_accepted": "on"}
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(pk=declaration.pk)
    return declaration


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


def _at_committee(world, applicant, category="city_public"):
    declaration = _submitted(world, applicant, category)
    while declaration.state == State.IN_REVIEW:
        declaration = publicise_and_release(declaration, world)
        declaration = step_pass(declaration=declaration, actor=world.admin(declaration.current_organisation))
    return declaration


def _decide(client, declaration, **data):
    return client.post(reverse("review:decide", args=[declaration.pk]), data)


def _committee_decide(client, declaration, **data):
    return client.post(reverse("review:committee_decide", args=[declaration.pk]), data)


@pytest.mark.parametrize("category", sorted(EXPECTED_ROUTES))
def test_chain_clicked_through_pages_reaches_committee_and_is_accepted(client, world, applicant, category):
    declaration = _create_and_submit_via_pages(client, world, applicant, category)
    expected = [getattr(world, attr) for attr in EXPECTED_ROUTES[category]]

    visited = []
    while declaration.state == State.IN_REVIEW:
        organisation = declaration.current_organisation
        visited.append(organisation)
        declaration = publicise_and_release(declaration, world)
        admin = world.admin(organisation)
        client.force_login(admin)
        assert declaration in client.get(reverse("review:queue")).context["page_obj"].object_list
        detail = client.get(declaration.get_absolute_url())
        assert detail.context["can_review"] is True
        response = _decide(client, declaration, action="pass", reason="材料齐全，同意推荐")
        assert response.status_code == 302
        assert response.url == reverse("review:queue")
        declaration = Declaration.objects.get(pk=declaration.pk)

    assert visited == expected
    assert declaration.state == State.COMMITTEE_CHECK
    assert declaration.current_organisation == world.committee_host

    client.force_login(world.admin(world.committee_host))
    assert client.get(declaration.get_absolute_url()).context["can_committee_check"] is True
    response = _committee_decide(client, declaration, action="accept")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert response.url == reverse("review:queue")
    assert declaration.state == State.ACCEPTED
    assert list(declaration.decisions.values_list("kind", flat=True)) == [
        *([DecisionKind.PASS] * len(expected)),
        DecisionKind.ACCEPT,
    ]


def test_decide_success_shows_message_in_queue(client, world, applicant):
    declaration = _submitted(world, applicant)
    declaration = publicise_and_release(declaration, world)
    client.force_login(world.admin(world.unit))
    response = client.post(reverse("review:decide", args=[declaration.pk]), {"action": "pass"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert response.status_code == 200
    assert messages == [f"已办理“{applicant}”的申报，当前状态：审核中。"]


def test_return_with_defects_then_resubmit_goes_back_to_same_organisation(client, world, applicant):
    declaration = _submitted(world, applicant, "district_public")
    declaration = publicise_and_release(declaration, world)
    declaration = step_pass(declaration=declaration, actor=world.admin(world.unit))
    assert declaration.current_organisation == world.district_department

    client.force_login(world.admin(world.district_department))
    response = _decide(client, declaration, action="return", defects="缺少学历证书\n\n  业绩证明未盖章  \n")
    assert response.status_code == 302
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.RETURNED
    decision = declaration.decisions.get(kind=DecisionKind.RETURN)
    assert decision.defects == ["缺少学历证书", "业绩证明未盖章"]

    client.force_login(applicant)
    content = client.get(reverse("declarations:list")).content.decode()
    assert "缺少学历证书" in content
    assert "业绩证明未盖章" in content
    assert (
        reverse("declarations:resubmit", args=[declaration.pk])
        in client.get(declaration.get_absolute_url()).content.decode()
    )
    response = client.post(reverse("declarations:resubmit", args=[declaration.pk]))
    assert response.status_code == 302
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.IN_REVIEW
    assert declaration.current_organisation == world.district_department


def test_return_without_defects_shows_field_error_and_changes_nothing(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    response = _decide(client, declaration, action="return", defects="  \n ")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert response.context["form"].has_error("defects")
    assert "须一次性列明全部需补正的问题" in response.content.decode()
    assert declaration.state == State.IN_REVIEW


def test_refuse_shows_reason_to_applicant(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    response = _decide(client, declaration, action="refuse", reason="现任职称年限不足，不符合申报条件")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert declaration.state == State.NOT_RECOMMENDED

    client.force_login(applicant)
    response = client.get(reverse("declarations:list"))
    assert "现任职称年限不足，不符合申报条件" in response.content.decode()
    assert response.context["items"][0].route[0].status == "stopped"


def test_refuse_without_reason_shows_field_error(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    response = _decide(client, declaration, action="refuse", reason="")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert response.context["form"].has_error("reason")
    assert declaration.state == State.IN_REVIEW


def test_decide_twice_shows_message_and_changes_nothing(client, world, applicant):
    declaration = _submitted(world, applicant)
    declaration = publicise_and_release(declaration, world)
    client.force_login(world.admin(world.unit))
    _decide(client, declaration, action="pass")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.current_organisation == world.city_department
    response = client.post(reverse("review:decide", args=[declaration.pk]), {"action": "pass"}, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "该申报当前不在贵机构审核环节" in response.content.decode()
    assert declaration.current_organisation == world.city_department
    assert Decision.objects.filter(declaration=declaration).count() == 1


def test_decide_invalid_action_shows_form_error(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    response = _decide(client, declaration, action="approve_all")
    assert response.status_code == 200
    assert response.context["form"].has_error("action")


def test_decide_get_is_not_allowed(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    assert client.get(reverse("review:decide", args=[declaration.pk])).status_code == 405


def test_step_decision_on_declaration_at_committee_shows_message(client, world, applicant):
    declaration = _at_committee(world, applicant)
    client.force_login(world.admin(world.committee_host))
    response = client.post(reverse("review:decide", args=[declaration.pk]), {"action": "pass"}, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "当前状态为“评委会受理审核中”，不能执行" in response.content.decode()
    assert declaration.state == State.COMMITTEE_CHECK


def test_committee_not_accept_shows_reason_to_applicant(client, world, applicant):
    declaration = _at_committee(world, applicant)
    client.force_login(world.admin(world.committee_host))
    response = _committee_decide(
        client, declaration, action="not_accept", reason_code="out_of_scope", reason="非数字技术领域"
    )
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert declaration.state == State.NOT_ACCEPTED

    client.force_login(applicant)
    content = client.get(reverse("declarations:list")).content.decode()
    assert "不属于本评委会评审范围：非数字技术领域" in content


def test_committee_not_accept_without_reason_code_shows_field_error(client, world, applicant):
    declaration = _at_committee(world, applicant)
    client.force_login(world.admin(world.committee_host))
    response = _committee_decide(client, declaration, action="not_accept")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert response.context["form"].has_error("reason_code")
    assert declaration.state == State.COMMITTEE_CHECK


def test_committee_return_then_resubmit_goes_back_to_committee(client, world, applicant):
    declaration = _at_committee(world, applicant, "freelancer")
    client.force_login(world.admin(world.committee_host))
    response = _committee_decide(client, declaration, action="return", defects="缺少继续教育证明")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 302
    assert declaration.state == State.RETURNED

    client.force_login(applicant)
    response = client.get(reverse("declarations:list"))
    assert "缺少继续教育证明" in response.content.decode()
    assert response.context["items"][0].route[-1].status == "returned"
    client.post(reverse("declarations:resubmit", args=[declaration.pk]))
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.COMMITTEE_CHECK
    assert declaration.current_organisation == world.committee_host
    assert declaration.committee_submissions == 2


def test_resubmit_when_not_returned_shows_message(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(applicant)
    response = client.post(reverse("declarations:resubmit", args=[declaration.pk]), follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert "不能执行“补正后重新提交”" in response.content.decode()
    assert declaration.state == State.IN_REVIEW


def test_other_organisations_administrator_gets_404_and_empty_queue(client, world, applicant):
    declaration = _submitted(world, applicant)  # city_public: unit, then city department
    outsider = world.admin(world.agency)
    client.force_login(outsider)
    assert client.get(declaration.get_absolute_url()).status_code == 404
    assert _decide(client, declaration, action="refuse", reason="x").status_code == 404
    assert _committee_decide(client, declaration, action="accept").status_code == 404
    assert list(client.get(reverse("review:queue")).context["page_obj"]) == []
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.IN_REVIEW


def test_later_organisation_of_route_gets_empty_queue_and_no_decision(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.city_department))
    assert list(client.get(reverse("review:queue")).context["page_obj"]) == []
    response = client.get(declaration.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_review"] is False
    response = client.post(reverse("review:decide", args=[declaration.pk]), {"action": "pass"}, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert "该申报当前不在贵机构审核环节" in response.content.decode()
    assert declaration.current_organisation == world.unit


def test_another_applicant_gets_404_on_detail_and_decide(client, world, applicant):
    declaration = _submitted(world, applicant)
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(declaration.get_absolute_url()).status_code == 404
    assert _decide(client, declaration, action="pass").status_code == 404
    assert _committee_decide(client, declaration, action="accept").status_code == 404
    assert client.get(reverse("declarations:list")).context["items"] == []


def test_applicant_cannot_decide_own_declaration(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(applicant)
    response = client.post(reverse("review:decide", args=[declaration.pk]), {"action": "pass"}, follow=True)
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert response.status_code == 200
    assert declaration.current_organisation == world.unit
    assert Decision.objects.count() == 0


def test_queue_for_person_without_organisation_explains(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    assert "R3.2" in response.content.decode()


def test_queue_shows_applicant_and_links_detail(client, world, applicant):
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))
    content = client.get(reverse("review:queue")).content.decode()
    assert applicant.real_name in content
    assert "工程师" in content
    assert "大数据" in content
    assert declaration.get_absolute_url() in content


def test_queue_paginates_by_50(client, world):
    for _ in range(51):
        _submitted(world, UserFactory())
    client.force_login(world.admin(world.unit))
    first = client.get(reverse("review:queue"))
    second = client.get(reverse("review:queue"), {"page": 2})
    assert len(first.context["page_obj"].object_list) == 50
    assert len(second.context["page_obj"].object_list) == 1


def test_queue_runs_same_number_of_queries_for_1_and_20(client, world):
    client.force_login(world.admin(world.unit))
    _submitted(world, UserFactory(), "floating_cq_archive")
    client.get(reverse("review:queue"))  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("review:queue"))
    for i in range(19):
        _submitted(world, UserFactory(), "floating_cq_archive" if i % 2 else "city_public")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("review:queue"))
    assert len(response.context["page_obj"].object_list) == 20
    assert len(twenty) == len(one)


def test_queue_lines_escape_what_people_typed_and_offer_checkboxes_only_at_a_step(client, world):
    # The lines are written in Python (review.views.queue_rows_html), not by the template:
    # every value must still be escaped as the template escaped it.
    applicant = UserFactory(real_name='<b>张"三</b>')
    declaration = _submitted(world, applicant)
    client.force_login(world.admin(world.unit))

    html = client.get(reverse("review:queue")).content.decode()

    assert "<b>" not in html
    assert "&lt;b&gt;张&quot;三&lt;/b&gt;" in html
    assert 'aria-label="选择&lt;b&gt;张&quot;三&lt;/b&gt;的申报"' in html
    assert f'href="{declaration.get_absolute_url()}">审核</a>' in html
    assert '<span class="badge badge-in_review">' in html
    assert "R4.1 " in html and "工程师" in html and "大数据" in html
    local = timezone.localtime(Declaration.objects.get(pk=declaration.pk).submitted_at)
    assert local.strftime("%Y-%m-%d %H:%M") in html


def test_queue_of_committee_host_has_no_checkboxes(client, world):
    from review.views import queue_rows, queue_rows_html

    declaration = _submitted(world, UserFactory())
    loaded = Declaration.objects.select_related("applicant", "campaign", "chain").get(pk=declaration.pk)
    rows = queue_rows([loaded])

    assert 'type="checkbox"' in queue_rows_html(rows, with_select=True)
    assert 'type="checkbox"' not in queue_rows_html(rows, with_select=False)
    assert "data-label" in queue_rows_html(rows, with_select=False)
