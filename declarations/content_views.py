"""The content page of a declaration (申报信息) and its eligibility checklist.

Whoever may see the declaration (``declaration_get_for_user``: the applicant, reviewers on
its route, the committee host once it was sent there) sees the page; anyone else gets 404.
Only the applicant edits, while it is a draft or returned: the page hides the forms
otherwise, and the services of ``declarations.content`` refuse the write whoever posts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from core.exceptions import ServiceError
from core.forms import add_service_error
from declarations.content import (
    SECTIONS,
    STATUS_FIELDS,
    TITLE_FIELDS,
    Content,
    applicant_status_set,
    content_is_editable,
    content_row_add,
    content_row_delete,
    content_row_get,
    content_row_update,
    current_title_set,
)
from declarations.content_forms import (
    ROW_FORMS,
    ApplicantStatusForm,
    ContentForm,
    CurrentTitleForm,
)
from declarations.eligibility import Finding, declaration_eligibility
from declarations.models import ApplicantStatus, CurrentTitle, Declaration
from declarations.selectors import declaration_get_for_user

# The cards of the content page, by the section a finding names (``Finding.section``).
CARD_LABELS = {
    "applicant_status": gettext_lazy("身份与档案情况"),
    "current_title": gettext_lazy("现职称"),
    "education": gettext_lazy("学历"),
    "work": gettext_lazy("工作经历"),
    "social_insurance": gettext_lazy("社会保险缴纳记录"),
}
# Findings of no card (e.g. a sanction period, R1.2) are shown in the checklist itself.
CHECKLIST_ANCHOR = "eligibility"
# Date fields that hold a month (social insurance, R4.7).
MONTH_FIELDS = frozenset({"start_month", "end_month"})
# Empty end dates mean the period is still running.
ONGOING_FIELDS = frozenset({"ended_on", "end_month"})


# --- the checklist (R1.2, R2.2, R2.3, R2.6, R4.7) ------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """A finding as the pages show it, with the card of the content page it belongs to."""

    rule: str
    blocking: bool
    message: str
    anchor: str
    section_label: str


@dataclass
class Checklist:
    """Every finding on a declaration now, grouped by the card it belongs to."""

    items: list[ChecklistItem]
    by_section: dict[str, list[ChecklistItem]] = field(default_factory=dict)
    general: list[ChecklistItem] = field(default_factory=list)

    @property
    def blocking_count(self) -> int:
        return sum(1 for item in self.items if item.blocking)

    @property
    def eligible(self) -> bool:
        """No blocking finding: submission is not refused for eligibility."""
        return self.blocking_count == 0


def checklist_from_findings(findings: list[Finding]) -> Checklist:
    checklist = Checklist(items=[])
    for finding in findings:
        section = finding.section if finding.section in CARD_LABELS else ""
        item = ChecklistItem(
            rule=finding.rule,
            blocking=finding.blocking,
            message=finding.message,
            anchor=section or CHECKLIST_ANCHOR,
            section_label=str(CARD_LABELS[section]) if section else _("申报条件"),
        )
        checklist.items.append(item)
        if section:
            checklist.by_section.setdefault(section, []).append(item)
        else:
            checklist.general.append(item)
    return checklist


def declaration_checklist(declaration: Declaration) -> Checklist:
    """The checklist of a declaration the caller may see (a fixed number of queries)."""
    return checklist_from_findings(declaration_eligibility(declaration))


# --- reading the content ----------------------------------------------------------------------


def _cached_one_to_one(declaration: Declaration, name: str) -> Any:
    try:
        return getattr(declaration, name)
    except ObjectDoesNotExist:
        return None


def content_load(declaration: Declaration) -> Content:
    """Load the content once, into the caches the eligibility checks read too."""
    prefetch_related_objects(
        [declaration],
        "applicant_status",
        "current_title",
        "education_records",
        "work_records",
        "social_insurance_records",
    )
    return Content(
        declaration=declaration,
        status=_cached_one_to_one(declaration, "applicant_status"),
        title=_cached_one_to_one(declaration, "current_title"),
        education=list(declaration.education_records.all()),
        work=list(declaration.work_records.all()),
        social_insurance=list(declaration.social_insurance_records.all()),
    )


def _display(instance: models.Model, name: str) -> str:
    """A field's value as the page shows it."""
    value = getattr(instance, name)
    model_field = instance._meta.get_field(name)
    if model_field.choices and value not in (None, ""):
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None and name in ONGOING_FIELDS:
        return _("至今")
    if value is None and name == "archive_in_chongqing":
        return _("未填写（按申报人类别默认）")
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}" if name in MONTH_FIELDS else f"{value:%Y-%m-%d}"
    return str(value) if value not in (None, "") else "—"


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def _facts(instance: models.Model | None, model: type[models.Model], names: tuple[str, ...]) -> list[Fact]:
    if instance is None:
        return []
    return [Fact(_label(model, name), _display(instance, name)) for name in names]


@dataclass
class RowView:
    pk: int
    cells: list[Fact]


@dataclass
class SectionView:
    """A list of rows (education, work history, social insurance) with its forms."""

    key: str
    label: str
    headers: list[str]
    rows: list[RowView]
    findings: list[ChecklistItem]
    add_form: ContentForm | None


# --- the page ---------------------------------------------------------------------------------


def _content_url(declaration: Declaration, anchor: str = "") -> str:
    url = reverse("declarations:content", args=[declaration.pk])
    return f"{url}#{anchor}" if anchor else url


def _read_only_reason(declaration: Declaration, user: User) -> str:
    if declaration.applicant_id != user.pk:
        return _("仅申报人本人可以填写申报信息，您可以查看。")
    return _("当前状态为“%(state)s”，申报信息不能修改；退回补正时可以修改。") % {
        "state": declaration.get_state_display()
    }


def _render_content(
    request: HttpRequest, declaration: Declaration, bound: dict[str, ContentForm] | None = None
) -> HttpResponse:
    """The page; ``bound`` holds a form posted with errors, keyed by its section."""
    bound = bound or {}
    user = request.user
    content = content_load(declaration)
    checklist = declaration_checklist(declaration)
    editable = content_is_editable(declaration, user)
    rows = {
        "education": content.education,
        "work": content.work,
        "social_insurance": content.social_insurance,
    }
    sections = []
    for key, spec in SECTIONS.items():
        sections.append(
            SectionView(
                key=key,
                label=str(CARD_LABELS[key]),
                headers=[_label(spec.model, name) for name in spec.fields],
                rows=[
                    RowView(row.pk, [Fact(_label(spec.model, n), _display(row, n)) for n in spec.fields])
                    for row in rows[key]
                ],
                findings=checklist.by_section.get(key, []),
                add_form=(bound.get(key) or ROW_FORMS[key](prefix=key)) if editable else None,
            )
        )
    context: dict[str, Any] = {
        "declaration": declaration,
        "person": declaration.applicant,
        "content": content,
        "eligibility": checklist,
        "editable": editable,
        "read_only_reason": "" if editable else _read_only_reason(declaration, user),
        "status_facts": _facts(content.status, ApplicantStatus, STATUS_FIELDS),
        "title_facts": _facts(content.title, CurrentTitle, TITLE_FIELDS),
        "sections": sections,
    }
    if editable:
        context["status_form"] = bound.get("applicant_status") or ApplicantStatusForm.from_instance(
            content.status, prefix="applicant_status"
        )
        context["title_form"] = bound.get("current_title") or CurrentTitleForm.from_instance(
            content.title, prefix="current_title"
        )
    return render(request, "declarations/content.html", context)


@login_required
def declaration_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration's content with its eligibility findings beside each section."""
    return _render_content(request, declaration_get_for_user(request.user, pk))


def _refused(request: HttpRequest, declaration: Declaration, exc: ServiceError, anchor: str) -> HttpResponse:
    messages.error(request, str(exc.message))
    return redirect(_content_url(declaration, anchor))


def _save_one_to_one(
    request: HttpRequest, pk: int, *, section: str, form_class: type[ContentForm], service: Any
) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    form = form_class(request.POST, prefix=section)
    if not form.is_valid():
        return _render_content(request, declaration, {section: form})
    try:
        service(declaration=declaration, actor=request.user, **form.service_fields())
    except ServiceError as exc:
        if add_service_error(form, exc):
            return _render_content(request, declaration, {section: form})
        return _refused(request, declaration, exc, section)
    messages.success(request, _("%(section)s已保存。") % {"section": CARD_LABELS[section]})
    return redirect(_content_url(declaration, section))


@login_required
@require_POST
def applicant_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the status facts (R1.2) and the archive location (R4.7)."""
    return _save_one_to_one(
        request, pk, section="applicant_status", form_class=ApplicantStatusForm, service=applicant_status_set
    )


@login_required
@require_POST
def current_title_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the current title, an army title or none (R2.3, R2.6)."""
    return _save_one_to_one(
        request, pk, section="current_title", form_class=CurrentTitleForm, service=current_title_set
    )


def _section_or_404(section: str) -> str:
    if section not in SECTIONS:
        raise Http404
    return section


@login_required
@require_POST
def content_row_add_view(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Add a row of education, work history or social insurance."""
    section = _section_or_404(section)
    declaration = declaration_get_for_user(request.user, pk)
    form = ROW_FORMS[section](request.POST, prefix=section)
    if not form.is_valid():
        return _render_content(request, declaration, {section: form})
    try:
        content_row_add(declaration=declaration, actor=request.user, section=section, **form.service_fields())
    except ServiceError as exc:
        if add_service_error(form, exc):
            return _render_content(request, declaration, {section: form})
        return _refused(request, declaration, exc, section)
    messages.success(request, _("已添加一条%(section)s。") % {"section": CARD_LABELS[section]})
    return redirect(_content_url(declaration, section))


@login_required
def content_row_edit_view(request: HttpRequest, pk: int, section: str, row_pk: int) -> HttpResponse:
    """Change a row on its own page (phone-friendly; no script needed)."""
    section = _section_or_404(section)
    declaration = declaration_get_for_user(request.user, pk)
    row = content_row_get(declaration, section, row_pk)
    if not content_is_editable(declaration, request.user):
        messages.error(request, _read_only_reason(declaration, request.user))
        return redirect(_content_url(declaration, section))
    form_class = ROW_FORMS[section]
    if request.method == "POST":
        form = form_class(request.POST, prefix=section)
        if form.is_valid():
            try:
                content_row_update(row=row, actor=request.user, **form.service_fields())
            except ServiceError as exc:
                if not add_service_error(form, exc):
                    return _refused(request, declaration, exc, section)
            else:
                messages.success(request, _("%(section)s已修改。") % {"section": CARD_LABELS[section]})
                return redirect(_content_url(declaration, section))
    else:
        form = form_class.from_instance(row, prefix=section)
    return render(
        request,
        "declarations/content_row_form.html",
        {
            "declaration": declaration,
            "form": form,
            "section": section,
            "section_label": CARD_LABELS[section],
            "back_url": _content_url(declaration, section),
        },
    )


@login_required
@require_POST
def content_row_delete_view(request: HttpRequest, pk: int, section: str, row_pk: int) -> HttpResponse:
    """Delete a row."""
    section = _section_or_404(section)
    declaration = declaration_get_for_user(request.user, pk)
    row = content_row_get(declaration, section, row_pk)
    try:
        content_row_delete(row=row, actor=request.user)
    except ServiceError as exc:
        return _refused(request, declaration, exc, section)
    messages.success(request, _("已删除一条%(section)s。") % {"section": CARD_LABELS[section]})
    return redirect(_content_url(declaration, section))
