"""Writes on the content of a declaration: status facts, current title and history rows.

Personal data (real name, ID number, phone) comes from the account and is not copied.
Only the applicant writes, only while the declaration is a draft or returned for
correction; each write locks the declaration row and appends an audit row in the same
transaction. Reads for pages and the API are in ``content_for_declaration``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.services import audit_record
from declarations.enums import State
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    Declaration,
    EducationRecord,
    SocialInsuranceRecord,
    WorkRecord,
)

# The applicant corrects the content of a returned declaration too (R6.1, R6.6).
CONTENT_EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})

STATUS_FIELDS = (
    "is_civil_servant",
    "retirement_approved_on",
    "unit_in_chongqing",
    "archive_in_chongqing",
    "archive_agency",
    "archive_since",
)
TITLE_FIELDS = ("basis", "series", "level", "specialty", "obtained_on", "issuing_body")


@dataclass(frozen=True)
class Section:
    """A list of rows of a declaration's content."""

    key: str
    model: type[models.Model]
    fields: tuple[str, ...]
    label: Any


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section(
            "education",
            EducationRecord,
            ("level", "school", "major", "graduated_on", "full_time"),
            gettext_lazy("学历"),
        ),
        Section("work", WorkRecord, ("started_on", "ended_on", "employer", "post"), gettext_lazy("工作经历")),
        Section(
            "social_insurance",
            SocialInsuranceRecord,
            ("start_month", "end_month", "employer", "paid_in_chongqing"),
            gettext_lazy("社会保险缴纳记录"),
        ),
    )
}


def content_is_editable(declaration: Declaration, user: User) -> bool:
    """Whether ``user`` may change the content now (a hint for pages; services decide)."""
    return declaration.applicant_id == user.pk and declaration.state in CONTENT_EDITABLE_STATES


def _lock_editable(declaration_id: int, actor: User) -> Declaration:
    locked = Declaration.objects.select_for_update().get(pk=declaration_id)
    if locked.applicant_id != actor.pk:
        raise PermissionRefused("not_applicant", _("只有申报人本人可以执行此操作。"))
    if locked.state not in CONTENT_EDITABLE_STATES:
        raise TransitionNotAllowed(
            "not_editable",
            _("当前状态为“%(state)s”，申报内容不能修改。") % {"state": locked.get_state_display()},
        )
    return locked


def _refuse_unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ServiceError("unknown_field", _("不能填写的字段：%s") % ", ".join(sorted(unknown)))


def _invalid(field: str, message: str) -> ServiceError:
    return ServiceError("invalid", message, field=field)


def _full_clean(instance: models.Model) -> None:
    """Validate field values and choices; the first error names its field."""
    try:
        instance.full_clean(exclude=["declaration"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            label = instance._meta.get_field(field).verbose_name if field != "__all__" else ""
            raise ServiceError(
                "invalid", f"{label}：{messages[0]}" if label else messages[0], field=field
            ) from None


def _first_of_month(value: Any) -> Any:
    return value.replace(day=1) if isinstance(value, dt.date) else value


def _check_row(instance: models.Model) -> None:
    """Cross-field checks of a history row."""
    if isinstance(instance, WorkRecord):
        if instance.ended_on is not None and instance.ended_on < instance.started_on:
            raise _invalid("ended_on", _("结束时间不能早于起始时间。"))
    elif isinstance(instance, SocialInsuranceRecord):
        instance.start_month = _first_of_month(instance.start_month)
        instance.end_month = _first_of_month(instance.end_month)
        if instance.end_month is not None and instance.end_month < instance.start_month:
            raise _invalid("end_month", _("截止月份不能早于起始月份。"))


def _check_title(title: CurrentTitle) -> None:
    if not title.holds_title:
        # No title held (R2.6 for staff from government organs); nothing else applies.
        title.series, title.level, title.specialty, title.obtained_on, title.issuing_body = (
            "", "", "", None, ""
        )
        return
    labels = {f: CurrentTitle._meta.get_field(f).verbose_name for f in TITLE_FIELDS}
    for name in ("series", "level", "specialty", "obtained_on", "issuing_body"):
        if getattr(title, name) in (None, ""):
            raise _invalid(name, _("请填写%(field)s。") % {"field": labels[name]})


def _audit(actor: User, declaration: Declaration, action: str, **data: Any) -> None:
    audit_record(actor=actor, obj=declaration, action=action, data=data)


@transaction.atomic
def applicant_status_set(*, declaration: Declaration, actor: User, **fields: Any) -> ApplicantStatus:
    """Create or change the status facts (R1.2) and archive location (R4.7); only fields given change."""
    locked = _lock_editable(declaration.pk, actor)
    _refuse_unknown(fields, STATUS_FIELDS)
    status = ApplicantStatus.objects.filter(declaration=locked).first() or ApplicantStatus(declaration=locked)
    for name, value in fields.items():
        setattr(status, name, value)
    _full_clean(status)
    status.save()
    _audit(actor, locked, "content_status_set", fields=sorted(fields))
    return status


@transaction.atomic
def current_title_set(*, declaration: Declaration, actor: User, **fields: Any) -> CurrentTitle:
    """Create or change the current title (or none, R2.6); only fields given change."""
    locked = _lock_editable(declaration.pk, actor)
    _refuse_unknown(fields, TITLE_FIELDS)
    title = CurrentTitle.objects.filter(declaration=locked).first() or CurrentTitle(declaration=locked)
    for name, value in fields.items():
        setattr(title, name, value if value is not None or name == "obtained_on" else "")
    _check_title(title)
    _full_clean(title)
    title.save()
    _audit(actor, locked, "content_title_set", fields=sorted(fields))
    return title


@transaction.atomic
def content_row_add(
    *, declaration: Declaration, actor: User, section: str, **fields: Any
) -> models.Model:
    """Add a row to one of the content lists (``SECTIONS``)."""
    spec = SECTIONS[section]
    locked = _lock_editable(declaration.pk, actor)
    _refuse_unknown(fields, spec.fields)
    row = spec.model(declaration=locked, **fields)
    _check_row(row)
    _full_clean(row)
    row.save()
    _audit(actor, locked, f"content_{section}_add", row=row.pk)
    return row


@transaction.atomic
def content_row_update(*, row: models.Model, actor: User, **fields: Any) -> models.Model:
    """Change a content row; only fields given change."""
    spec = section_of(row)
    locked = _lock_editable(row.declaration_id, actor)  # type: ignore[attr-defined]
    _refuse_unknown(fields, spec.fields)
    row = spec.model.objects.get(pk=row.pk)
    for name, value in fields.items():
        setattr(row, name, value)
    _check_row(row)
    _full_clean(row)
    row.save()
    _audit(actor, locked, f"content_{spec.key}_update", row=row.pk, fields=sorted(fields))
    return row


@transaction.atomic
def content_row_delete(*, row: models.Model, actor: User) -> None:
    """Delete a content row."""
    spec = section_of(row)
    locked = _lock_editable(row.declaration_id, actor)  # type: ignore[attr-defined]
    pk = row.pk
    spec.model.objects.filter(pk=pk).delete()
    _audit(actor, locked, f"content_{spec.key}_delete", row=pk)


def section_of(row: models.Model) -> Section:
    for spec in SECTIONS.values():
        if isinstance(row, spec.model):
            return spec
    raise ValueError(type(row))


# --- reads ----------------------------------------------------------------------------------


def content_row_get(declaration: Declaration, section: str, pk: int | str) -> models.Model:
    """A row of the declaration's content; 404 for a row of another declaration."""
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    try:
        return spec.model.objects.get(declaration=declaration, pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class Content:
    """Everything the applicant filled in beyond the declaration's own fields."""

    declaration: Declaration
    status: ApplicantStatus | None
    title: CurrentTitle | None
    education: list[EducationRecord]
    work: list[WorkRecord]
    social_insurance: list[SocialInsuranceRecord]


def content_for_declaration(declaration: Declaration) -> Content:
    """Load the content of a declaration the caller may see (five queries)."""
    return Content(
        declaration=declaration,
        status=ApplicantStatus.objects.filter(declaration=declaration).first(),
        title=CurrentTitle.objects.filter(declaration=declaration).first(),
        education=list(EducationRecord.objects.filter(declaration=declaration)),
        work=list(WorkRecord.objects.filter(declaration=declaration)),
        social_insurance=list(SocialInsuranceRecord.objects.filter(declaration=declaration)),
    )
