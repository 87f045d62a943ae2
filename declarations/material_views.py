"""Pages of the declaration's material: achievements (R2.5, R6.6), evidence files (R8.6)
and the fee (R8.5). The declaration's detail page shows them (``material_context``).

Each view looks the declaration up through ``declaration_get_for_user`` (404 outside the
person's scope), calls one service with ``actor`` and redirects to the detail page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.exceptions import ServiceError
from core.forms import add_service_error
from declarations.achievements import (
    achievement_create,
    achievement_delete,
    achievement_update,
    achievement_views,
    missing_evidence,
    publicised_at,
)
from declarations.enums import AchievementKind
from declarations.evidence import (
    evidence_delete,
    evidence_get_for_user,
    evidence_list_for_declaration,
    evidence_upload,
)
from declarations.material_forms import AchievementForm, EvidenceUploadForm, PaymentConfirmForm
from declarations.models import Achievement, Declaration, Evidence
from declarations.payments import can_confirm_payment, fee_for_declaration, payment_confirm, payment_gateway
from declarations.selectors import declaration_get_for_user


def material_context(declaration: Declaration, user: User) -> dict[str, Any]:
    """What the detail page shows of the material, and the forms the viewer may use."""
    can_change = user.has_perm("declarations.change_material", declaration)
    views = achievement_views(declaration)
    if can_change:
        for view in views:
            view.upload_form = EvidenceUploadForm(achievement=view.achievement)  # type: ignore[attr-defined]
    declaration_files = [e for e in evidence_list_for_declaration(declaration) if e.achievement_id is None]
    payment = getattr(declaration, "payment", None)
    return {
        "achievements": views,
        "declaration_files": declaration_files,
        "can_change_material": can_change,
        "may_add_achievement": can_change and publicised_at(declaration) is None,
        "declaration_upload_form": EvidenceUploadForm() if can_change else None,
        "payment": payment,
        "fee_due": fee_for_declaration(declaration),
        "payment_instructions": payment_gateway().instructions(declaration)
        if declaration.applicant_id == user.pk
        else "",
        "can_confirm_payment": can_confirm_payment(declaration, user),
        "payment_form": PaymentConfirmForm(),
    }


def _evidence_rows() -> list[tuple[str, list[str]]]:
    """Each kind of achievement with the evidence it needs (R8.6), from the one table."""
    return [(str(kind.label), missing_evidence(kind, set())) for kind in AchievementKind]


def _achievement_of(declaration: Declaration, achievement_pk: int) -> Achievement:
    try:
        return declaration.achievements.get(pk=achievement_pk)
    except Achievement.DoesNotExist:
        raise Http404 from None


def _refuse_unless_editable(request: HttpRequest, declaration: Declaration) -> HttpResponse | None:
    if request.user.has_perm("declarations.change_material", declaration):
        return None
    if declaration.applicant_id != request.user.pk:
        raise Http404
    messages.error(
        request,
        _("当前状态为“%(state)s”，申报材料不能修改。") % {"state": declaration.get_state_display()},
    )
    return redirect(declaration)


@login_required
def achievement_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an achievement (R2.5); refused after publicity (R6.6)."""
    declaration = declaration_get_for_user(request.user, pk)
    refused = _refuse_unless_editable(request, declaration)
    if refused is not None:
        return refused
    form = AchievementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            achievement_create(declaration=declaration, actor=request.user, **form.values())
        except ServiceError as exc:
            if not add_service_error(form, exc):
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("业绩成果已添加，请上传其证明材料。"))
            return redirect(declaration)
    return render(
        request,
        "declarations/achievement_form.html",
        {"form": form, "declaration": declaration, "evidence_rows": _evidence_rows()},
    )


@login_required
def achievement_edit_view(request: HttpRequest, pk: int, achievement_pk: int) -> HttpResponse:
    """Correct an achievement of a draft or returned declaration."""
    declaration = declaration_get_for_user(request.user, pk)
    refused = _refuse_unless_editable(request, declaration)
    if refused is not None:
        return refused
    achievement = _achievement_of(declaration, achievement_pk)
    form = AchievementForm(request.POST or None, initial=AchievementForm.initial_for(achievement))
    if request.method == "POST" and form.is_valid():
        try:
            achievement_update(
                declaration=declaration, achievement=achievement, actor=request.user, **form.values()
            )
        except ServiceError as exc:
            if not add_service_error(form, exc):
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("业绩成果已保存。"))
            return redirect(declaration)
    return render(
        request,
        "declarations/achievement_form.html",
        {
            "form": form,
            "declaration": declaration,
            "achievement": achievement,
            "evidence_rows": _evidence_rows(),
        },
    )


@login_required
@require_POST
def achievement_delete_view(request: HttpRequest, pk: int, achievement_pk: int) -> HttpResponse:
    """Delete an achievement and its evidence files."""
    declaration = declaration_get_for_user(request.user, pk)
    refused = _refuse_unless_editable(request, declaration)
    if refused is not None:
        return refused
    achievement = _achievement_of(declaration, achievement_pk)
    try:
        achievement_delete(declaration=declaration, achievement=achievement, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("业绩成果已删除。"))
    return redirect(declaration)


@login_required
@require_POST
def evidence_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one evidence file, for an achievement or for the declaration itself."""
    declaration = declaration_get_for_user(request.user, pk)
    refused = _refuse_unless_editable(request, declaration)
    if refused is not None:
        return refused
    achievement = None
    achievement_pk = request.POST.get("achievement")
    if achievement_pk:
        try:
            achievement = _achievement_of(declaration, int(achievement_pk))
        except ValueError:
            raise Http404 from None
    form = EvidenceUploadForm(request.POST, request.FILES, achievement=achievement)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(declaration)
    try:
        evidence = evidence_upload(
            declaration=declaration,
            actor=request.user,
            purpose=form.cleaned_data["purpose"],
            uploaded_file=form.cleaned_data["file"],
            achievement=achievement,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已上传“%(name)s”（%(purpose)s）。") % {
                "name": evidence.original_name, "purpose": evidence.get_purpose_display()
            }
        )
    return redirect(declaration)


@login_required
@require_POST
def evidence_delete_view(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    refused = _refuse_unless_editable(request, declaration)
    if refused is not None:
        return refused
    evidence = evidence_get_for_user(request.user, pk, evidence_pk)
    try:
        evidence_delete(declaration=declaration, evidence=evidence, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("证明材料已删除。"))
    return redirect(declaration)


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """Stream a stored evidence file as an attachment, never displayed inline."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_download_view(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Download a file: the applicant, the organisations on the route, the committee host."""
    return evidence_file_response(evidence_get_for_user(request.user, pk, evidence_pk))


@login_required
@require_POST
def payment_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee host records that the review fee was received (R8.5)."""
    declaration = declaration_get_for_user(request.user, pk)
    form = PaymentConfirmForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(declaration)
    try:
        payment = payment_confirm(
            declaration=declaration,
            actor=request.user,
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认收到评审费 %(amount)s 元。") % {"amount": payment.amount})
    return redirect(declaration)
