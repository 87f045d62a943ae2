"""The title administrator's pages: the queue and the decisions at a step or at the committee."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.enums import OrgKind
from core.exceptions import ServiceError
from core.forms import PlatformForm, add_service_error
from declarations.enums import State
from declarations.models import Declaration
from declarations.selectors import declaration_get_for_user, declaration_queue_entries_for_user
from review.bulk import step_pass_many
from review.forms import CommitteeDecisionForm, StepDecisionForm, UnitConditionForm
from review.paths import ChoiceLabels, path_format
from review.services import (
    committee_accept,
    committee_not_accept,
    committee_return,
    step_pass,
    step_refuse,
    step_return,
)
from review.unit_conditions import (
    administered_unit,
    unit_condition_delete,
    unit_condition_get_for_user,
    unit_condition_list_for_user,
    unit_condition_set,
)

QUEUE_PAGE_SIZE = 50

Action = Callable[[Declaration, Any, dict[str, Any]], Declaration]

STEP_ACTIONS: dict[str, Action] = {
    StepDecisionForm.PASS: lambda d, actor, data: step_pass(
        declaration=d, actor=actor, reason=data["reason"]
    ),
    StepDecisionForm.RETURN: lambda d, actor, data: step_return(
        declaration=d, actor=actor, defects=data["defects"], reason=data["reason"],
        deadline_working_days=data["deadline_working_days"], deadline_date=data["deadline_date"],
    ),
    StepDecisionForm.REFUSE: lambda d, actor, data: step_refuse(
        declaration=d, actor=actor, reason=data["reason"]
    ),
}

COMMITTEE_ACTIONS: dict[str, Action] = {
    CommitteeDecisionForm.ACCEPT: lambda d, actor, data: committee_accept(
        declaration=d, actor=actor, reason=data["reason"]
    ),
    CommitteeDecisionForm.NOT_ACCEPT: lambda d, actor, data: committee_not_accept(
        declaration=d, actor=actor, reason_code=data["reason_code"], reason=data["reason"]
    ),
    CommitteeDecisionForm.RETURN: lambda d, actor, data: committee_return(
        declaration=d, actor=actor, defects=data["defects"], reason=data["reason"],
        deadline_working_days=data["deadline_working_days"], deadline_date=data["deadline_date"],
    ),
}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the queue page, every text in it worked out (``queue_rows``)."""

    pk: int
    state: str
    selectable: bool
    applicant: str
    select_label: str
    level: str
    field: str
    category: str
    campaign: str
    submitted: str
    state_label: str
    url: str


def queue_rows(declarations: Iterable[Declaration]) -> list[QueueRow]:
    """The page's lines, with labels translated and paths reversed once per page.

    The template used to look each value up through the model (a translation per label,
    a ``reverse`` per link, a template include per state badge): most of the page's time
    at 50 rows (docs/benchmarks.md). Same output.
    """
    label = ChoiceLabels()
    page_path = path_format("declarations:detail")
    select = _("选择%(name)s的申报")
    rows = []
    for d in declarations:
        name = d.applicant.real_name
        category = label("category", d)
        rows.append(
            QueueRow(
                pk=d.pk,
                state=d.state,
                selectable=d.state == State.IN_REVIEW,
                applicant=name,
                select_label=select % {"name": name},
                level=label("level", d),
                field=label("field", d),
                category=f"{d.chain.code} {category}" if d.chain else category,
                campaign=d.campaign.name,
                submitted=(
                    timezone.localtime(d.submitted_at).strftime("%Y-%m-%d %H:%M") if d.submitted_at else ""
                ),
                state_label=label("state", d),
                url=page_path.format(d.pk),
            )
        )
    return rows


# One line of the queue's table. Written out here rather than in the template: the template
# engine took three times as long as the rest of the page's rows (docs/benchmarks.md).
# Every value goes through ``format_html``, which escapes it as the template would.
_ROW_HTML = (
    "<tr>{select}"
    '<td data-label="{l_applicant}">{applicant}</td>'
    '<td data-label="{l_level}">{level}</td>'
    '<td data-label="{l_field}">{field}</td>'
    '<td data-label="{l_category}">{category}</td>'
    '<td data-label="{l_campaign}">{campaign}</td>'
    '<td data-label="{l_submitted}">{submitted}</td>'
    '<td data-label="{l_state}"><span class="badge badge-{state}">{state_label}</span></td>'
    '<td><a class="button button-small" href="{url}">{l_review}</a></td>'
    "</tr>\n"
)
_SELECT_HTML = '<td data-label="{}">{}</td>'
_CHECKBOX_HTML = '<input type="checkbox" name="ids" value="{}" aria-label="{}">'


def queue_rows_html(rows: Iterable[QueueRow], *, with_select: bool) -> str:
    """The table body of the queue page; ``with_select`` adds the bulk-pass checkboxes."""
    labels = {
        "l_applicant": _("申报人"),
        "l_level": _("申报级别"),
        "l_field": _("专业领域"),
        "l_category": _("申报人类别"),
        "l_campaign": _("批次"),
        "l_submitted": _("提交时间"),
        "l_state": _("状态"),
        "l_review": _("审核"),
    }
    l_select = _("选择")
    lines = []
    for r in rows:
        select = ""
        if with_select:
            box = format_html(_CHECKBOX_HTML, r.pk, r.select_label) if r.selectable else ""
            select = format_html(_SELECT_HTML, l_select, box)
        lines.append(
            format_html(
                _ROW_HTML,
                select=select,
                applicant=r.applicant,
                level=r.level,
                field=r.field,
                category=r.category,
                campaign=r.campaign,
                submitted=r.submitted,
                state=r.state,
                state_label=r.state_label,
                url=r.url,
                **labels,
            )
        )
    return mark_safe("".join(lines))  # noqa: S308 - each line is format_html's escaped output


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for the administrator's organisation to act, oldest first."""
    organisation = request.user.administered_organisation
    is_committee_host = organisation is not None and organisation.kind == OrgKind.COMMITTEE_HOST
    page = Paginator(declaration_queue_entries_for_user(request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "review/queue.html",
        {
            "organisation": organisation,
            "is_committee_host": is_committee_host,
            "page_obj": page,
            "rows_html": queue_rows_html(queue_rows(page.object_list), with_select=not is_committee_host),
        },
    )


def _decide(
    request: HttpRequest,
    pk: int,
    form_class: type[PlatformForm],
    actions: dict[str, Action],
    template_form: str,
) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = actions[data["action"]](declaration, request.user, data)
        except ServiceError as exc:
            if not add_service_error(form, exc):
                messages.error(request, exc.message)
                return redirect(declaration)
        else:
            messages.success(
                request,
                _("已办理“%(applicant)s”的申报，当前状态：%(state)s。")
                % {"applicant": result.applicant, "state": result.get_state_display()},
            )
            return redirect("review:queue")
    return render(
        request,
        "review/decide.html",
        {"declaration": declaration, "form": form, "form_template": template_form},
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass, return or refuse at the administrator's step (R6.1, R6.4, R6.5)."""
    return _decide(request, pk, StepDecisionForm, STEP_ACTIONS, "review/_step_decision_form.html")


@login_required
@require_POST
def committee_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee host's first check: accept, not accept, or return (R6.6)."""
    return _decide(
        request, pk, CommitteeDecisionForm, COMMITTEE_ACTIONS, "review/_committee_decision_form.html"
    )


@login_required
@require_POST
def bulk_pass(request: HttpRequest) -> HttpResponse:
    """Pass every selected declaration at the administrator's step (批量审核通过, R6.4, R6.5)."""
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
    try:
        results = step_pass_many(ids=[int(i) for i in ids], actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("review:queue")
    passed = sum(1 for r in results if r.passed)
    if passed:
        messages.success(request, _("已批量审核通过 %(n)d 份申报。") % {"n": passed})
    for r in results:
        if not r.passed:
            messages.error(
                request,
                _("%(who)s（申报编号 %(id)d）未通过：%(reason)s")
                % {"who": r.applicant or _("申报"), "id": r.id, "reason": r.detail},
            )
    return redirect("review:queue")


# -- a unit's own conditions (R6.2) ---------------------------------------------------------


def _unit_conditions_page(
    request: HttpRequest, unit: Any, form: UnitConditionForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "review/unit_conditions.html",
        {"unit": unit, "conditions": unit_condition_list_for_user(request.user), "form": form},
        status=status,
    )


@login_required
def unit_conditions(request: HttpRequest) -> HttpResponse:
    """The unit's own conditions per campaign, and the form to add or replace one (R6.2)."""
    unit = administered_unit(request.user)
    if unit is None:
        messages.error(request, _("只有用人单位的职称管理员可以设置本单位的申报条件（R6.2）。"))
        return redirect("core:home")
    if request.method != "POST":
        return _unit_conditions_page(request, unit, UnitConditionForm())
    form = UnitConditionForm(request.POST)
    if form.is_valid():
        try:
            unit_condition_set(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as exc:
            if not add_service_error(form, exc):
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存本单位的申报条件。"))
            return redirect("review:unit_conditions")
    return _unit_conditions_page(request, unit, form, status=400)


@login_required
@require_POST
def unit_condition_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the unit's own conditions (R6.2)."""
    condition = unit_condition_get_for_user(request.user, pk)
    try:
        unit_condition_delete(actor=request.user, condition=condition)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除该条件。"))
    return redirect("review:unit_conditions")
