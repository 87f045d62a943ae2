"""The applicant's pages: my applications (R5.3), a draft, its submission (R5.2), its detail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from accounts.models import Organisation
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.forms import add_service_error
from declarations.enums import State
from declarations.forms import (
    INTEGRITY_COMMITMENT,
    DeclarationCreateForm,
    DeclarationForm,
    SubmitForm,
    WithdrawForm,
)
from declarations.models import Declaration
from declarations.selectors import (
    campaign_list_open,
    declaration_get_for_user,
    declaration_list_for_applicant,
)
from declarations.services import (
    DRAFT_FIELDS,
    REMINDABLE_STATES,
    declaration_can_remind,
    declaration_create,
    declaration_remind,
    declaration_resubmit,
    declaration_submit,
    declaration_update_draft,
    declaration_withdraw,
)
from declarations.workflow import AT_STEP_STATES
from review.enums import DecisionKind
from review.forms import CommitteeDecisionForm, StepDecisionForm
from review.models import Decision, RouteStep, RoutingChain
from review.publicity import publicity_refusal_for_pass
from review.unit_conditions import unit_condition_refusal_for_pass

# States in which the applicant needs the contact of the organisation holding it (R5.3):
# under review there, or returned by it for correction.
CONTACT_STATES = frozenset({*AT_STEP_STATES, State.COMMITTEE_CHECK, State.RETURNED})
# States a declaration ends in with a reason the applicant must see (R6.1, R6.6).
REASONED_END_STATES = frozenset({State.NOT_RECOMMENDED, State.NOT_ACCEPTED, State.TERMINATED})
# States past the committee host's acceptance.
PAST_ACCEPTANCE_STATES = frozenset(
    {
        State.ACCEPTED,
        State.PASSED,
        State.FAILED,
        State.RESULTS_PUBLICITY,
        State.CONFIRMED,
        State.CERTIFIED,
    }
)
STOPPED_STATES = frozenset({*REASONED_END_STATES, State.WITHDRAWN, State.ABANDONED})

STATUS_LABELS = {
    "done": gettext_lazy("已通过"),
    "accepted": gettext_lazy("已受理"),
    "current": gettext_lazy("审核中"),
    "returned": gettext_lazy("退回补正"),
    "stopped": gettext_lazy("在此终止"),
    "pending": gettext_lazy("待报送"),
}


@dataclass
class RouteItem:
    """One organisation on the route as the applicant sees it."""

    organisation: Organisation
    label: str
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Progress:
    """Where a declaration stands, for "my applications" and its detail page (R5.3)."""

    declaration: Declaration
    chain: RoutingChain | None
    route: list[RouteItem] = field(default_factory=list)
    contact: Organisation | None = None
    latest_return: Decision | None = None
    end_decision: Decision | None = None


def _status_here(state: str) -> str:
    if state in STOPPED_STATES:
        return "stopped"
    if state == State.RETURNED:
        return "returned"
    if state in PAST_ACCEPTANCE_STATES:
        return "accepted"
    return "current"


def declaration_progress(
    declaration: Declaration,
    route: Sequence[RouteStep],
    decisions: Sequence[Decision],
    chains: dict[str, RoutingChain],
) -> Progress:
    """Lay out the route with the current step marked, its contact, and the last reasons."""
    d = declaration
    chain = d.chain or chains.get(d.category)
    progress = Progress(declaration=d, chain=chain)
    at_committee = d.current_step is None and d.committee_submissions > 0
    for step in route:
        if d.current_step == step.position:
            status = _status_here(d.state)
        elif at_committee or (d.current_step is not None and step.position < d.current_step):
            status = "done"
        else:
            status = "pending"
        progress.route.append(RouteItem(step.organisation, str(step.get_slot_display()), status))
    if route:
        progress.route.append(
            RouteItem(
                d.campaign.committee_host,
                _("评委会受理审核"),
                _status_here(d.state) if at_committee else "pending",
            )
        )
    if d.state in CONTACT_STATES and d.current_organisation_id is not None:
        progress.contact = d.current_organisation
    if d.state == State.RETURNED:
        returns = [x for x in decisions if x.kind == DecisionKind.RETURN]
        progress.latest_return = returns[-1] if returns else None
    if d.state in REASONED_END_STATES and decisions:
        progress.end_decision = decisions[-1]
    return progress


def _chains() -> dict[str, RoutingChain]:
    return {chain.category: chain for chain in RoutingChain.objects.all()}


@login_required
def declaration_list(request: HttpRequest) -> HttpResponse:
    """My applications (我的申请书): every declaration with its progress and contact (R5.3)."""
    declarations = (
        declaration_list_for_applicant(request.user)
        .select_related("campaign__committee_host")
        .prefetch_related(
            Prefetch("route", queryset=RouteStep.objects.select_related("organisation")),
            Prefetch("decisions", queryset=Decision.objects.select_related("organisation")),
        )
    )
    chains = _chains()
    items = [
        declaration_progress(d, list(d.route.all()), list(d.decisions.all()), chains) for d in declarations
    ]
    return render(
        request,
        "declarations/list.html",
        {"items": items, "can_declare": request.user.has_perm("declarations.add_declaration")},
    )


@login_required
def declaration_create_view(request: HttpRequest) -> HttpResponse:
    """Start a draft; it is saved even when incomplete (R5.1)."""
    can_declare = request.user.has_perm("declarations.add_declaration")
    form = DeclarationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declaration_create(
                actor=request.user, campaign=form.cleaned_data["campaign"], **form.draft_fields()
            )
        except ServiceError as exc:
            if not add_service_error(form, exc):
                messages.error(request, exc.message)
        else:
            messages.success(request, _("草稿已保存。信息填写完整后，请签署诚信承诺并提交。"))
            return redirect(declaration)
    return render(
        request,
        "declarations/form.html",
        {
            "form": form,
            "can_declare": can_declare,
            "has_open_campaign": campaign_list_open().exists(),
            "is_create": True,
        },
    )


@login_required
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft; the chain and organisations are fixed once it is submitted."""
    declaration = declaration_get_for_user(request.user, pk)
    if not request.user.has_perm("declarations.change_declaration", declaration):
        messages.error(
            request,
            _("当前状态为“%(state)s”，申报内容不能修改。") % {"state": declaration.get_state_display()},
        )
        return redirect(declaration)
    initial = {name: getattr(declaration, name) for name in DRAFT_FIELDS}
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = declaration_update_draft(
                declaration=declaration, actor=request.user, **form.draft_fields()
            )
        except (TransitionNotAllowed, PermissionRefused) as exc:
            messages.error(request, exc.message)
            return redirect(declaration)
        except ServiceError as exc:
            if not add_service_error(form, exc):
                messages.error(request, exc.message)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect(declaration)
    return render(
        request,
        "declarations/form.html",
        {"form": form, "declaration": declaration, "can_declare": True, "is_create": False},
    )


def _render_detail(
    request: HttpRequest,
    declaration: Declaration,
    *,
    submit_form: SubmitForm | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    user = request.user
    route = list(declaration.route.select_related("organisation"))
    decisions = list(declaration.decisions.select_related("organisation"))
    progress = declaration_progress(declaration, route, decisions, _chains())
    is_applicant = declaration.applicant_id == user.pk
    context: dict[str, Any] = {
        "declaration": declaration,
        "progress": progress,
        "decisions": decisions,
        "is_applicant": is_applicant,
        "fee": declaration.fee if declaration.level else None,
        "integrity_commitment": INTEGRITY_COMMITMENT,
        "can_edit": user.has_perm("declarations.change_declaration", declaration),
        "can_submit": user.has_perm("declarations.submit_declaration", declaration),
        "can_resubmit": user.has_perm("declarations.resubmit_declaration", declaration),
        "can_withdraw": is_applicant and can_proceed(declaration.withdraw),
        "can_review": user.has_perm("declarations.review_declaration", declaration),
        "can_committee_check": user.has_perm("declarations.committee_check_declaration", declaration),
        "can_remind": is_applicant and declaration_can_remind(declaration),
        "reminded_today": is_applicant
        and declaration.state in REMINDABLE_STATES
        and not declaration_can_remind(declaration),
    }
    context["has_actions"] = (is_applicant and declaration.state == State.DRAFT) or any(
        context[k]
        for k in (
            "can_resubmit", "can_withdraw", "can_review", "can_committee_check", "can_remind",
            "reminded_today",
        )
    )
    context["submit_form"] = submit_form or SubmitForm()
    context["withdraw_form"] = withdraw_form or WithdrawForm()
    # Achievements, evidence files and the fee (R2.5, R8.5, R8.6).
    from declarations.material_views import material_context

    context.update(material_context(declaration, user))
    # Shared-data checks (R5.4) and the changes since the last return (docs/versions.md).
    from declarations.shareddata.views import shared_data_context
    from declarations.versions import version_page_context

    context.update(shared_data_context(declaration, user))
    context.update(version_page_context(declaration))
    if context["can_review"]:
        refusal = publicity_refusal_for_pass(declaration, timezone.now())
        if refusal is None:
            # R6.2: the unit's own conditions, at its step only.
            refusal = unit_condition_refusal_for_pass(declaration)
        context["pass_blocked"] = refusal.message if refusal is not None else ""
        context["decision_form"] = StepDecisionForm(can_pass=refusal is None)
    if context["can_committee_check"]:
        context["committee_form"] = CommitteeDecisionForm()
    return render(request, "declarations/detail.html", context)


@login_required
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A declaration's data, progress, decision history and the viewer's possible actions."""
    return _render_detail(request, declaration_get_for_user(request.user, pk))


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@login_required
@require_POST
def declaration_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the integrity commitment (R5.2) and send the draft to its first step."""
    declaration = declaration_get_for_user(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, declaration, submit_form=form)
    try:
        declaration = declaration_submit(
            declaration=declaration,
            actor=request.user,
            integrity_accepted=form.cleaned_data["integrity_accepted"],
            ip_address=_client_ip(request),
        )
    except ServiceError as exc:
        if add_service_error(form, exc):
            return _render_detail(request, declaration, submit_form=form)
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("申报已提交，当前审核机构：%(org)s。") % {"org": declaration.current_organisation},
        )
    return redirect(declaration)


@login_required
@require_POST
def declaration_resubmit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a corrected declaration back to the organisation that returned it (R6.1, R6.6)."""
    declaration = declaration_get_for_user(request.user, pk)
    try:
        declaration = declaration_resubmit(declaration=declaration, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已重新提交，当前审核机构：%(org)s。") % {"org": declaration.current_organisation},
        )
    return redirect(declaration)


@login_required
@require_POST
def declaration_remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the organisation holding the declaration to review it (催办), once a day."""
    declaration = declaration_get_for_user(request.user, pk)
    try:
        declaration = declaration_remind(declaration=declaration, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已提醒“%(org)s”尽快审核。") % {"org": declaration.current_organisation},
        )
    return redirect(declaration)


@login_required
@require_POST
def declaration_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a draft or a declaration still under review, at the applicant's wish."""
    declaration = declaration_get_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, declaration, withdraw_form=form)
    try:
        declaration_withdraw(declaration=declaration, actor=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(declaration)
    messages.success(request, _("申报已撤回。"))
    return redirect("declarations:list")
