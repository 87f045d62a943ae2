"""Forms of the content page: status facts, current title and the history rows.

The forms only parse input; every rule (who may write, when, dates in order, what a held
title needs) is checked by the services of ``declarations.content``, whose errors the
views attach to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.forms import PlatformForm
from declarations.content import SECTIONS, STATUS_FIELDS, TITLE_FIELDS
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    EducationRecord,
    SocialInsuranceRecord,
    WorkRecord,
)

# Months are entered as YYYY-MM (``<input type="month">``); a full date is accepted too,
# for browsers that show a plain text box.
MONTH_INPUT_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"placeholder": "2024-01", **(attrs or {})}, format="%Y-%m")


def _form_field(model: type[models.Model], name: str) -> forms.Field:
    """The form field for a model field: its Chinese label, help text and choices."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.DateField):
        field = model_field.formfield(widget=DateInput)
    else:
        field = model_field.formfield()
    if field is None:
        raise ValueError(f"{model.__name__}.{name} is not editable")
    if isinstance(field, forms.ChoiceField) and field.choices and list(field.choices)[0][0] == "":
        field.choices = [("", _("（请选择）")), *list(field.choices)[1:]]
    return field


def _fields(model: type[models.Model], names: tuple[str, ...]) -> dict[str, forms.Field]:
    return {name: _form_field(model, name) for name in names}


class ContentForm(PlatformForm):
    """A form over some fields of a content model; ``service_fields`` feeds the service."""

    model: type[models.Model]
    names: tuple[str, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_fields(self.model, self.names))
        self.order_fields(self.names)

    @classmethod
    def from_instance(cls, instance: models.Model | None, **kwargs: Any) -> ContentForm:
        """An unbound form showing ``instance``'s values (or the model's defaults)."""
        if instance is None:
            return cls(**kwargs)
        return cls(initial={name: getattr(instance, name) for name in cls.names}, **kwargs)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.names}


class ApplicantStatusForm(ContentForm):
    """Civil-servant flag and retirement (R1.2), unit and archive location (R4.7)."""

    model = ApplicantStatus
    names = STATUS_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        archive = self.fields["archive_in_chongqing"]
        # NullBooleanSelect maps True / False / None to these values and back.
        archive.widget = forms.NullBooleanSelect()
        archive.widget.choices = [
            ("unknown", _("未填写（按申报人类别默认）")),
            ("true", _("是，存放在重庆")),
            ("false", _("否，存放在市外")),
        ]
        archive.help_text = _(
            "流动人员档案存放地：人事代理的在重庆（R4.3、R4.5），市外存档的选“否”（R4.4）。"
        )
        self.fields["archive_since"].help_text = _("单位不在重庆的，档案须在重庆存放满1年（R4.7）。")


class CurrentTitleForm(ContentForm):
    """The current title, an army title (R2.6), or none (R2.6, moved from a government organ)."""

    model = CurrentTitle
    names = TITLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].help_text = _(
            "自主择业军转干部在部队取得的职称直接有效，无需确认（R2.6）；"
            "由机关调入企事业单位且无职称的，可按业绩直接申报相应级别（R2.6）。"
            "选择“无职称”时其余项目无需填写。"
        )
        self.fields["series"].help_text = _("工程系列（其他专业）职称可作为现职称（R2.3）。")


class EducationForm(ContentForm):
    """A degree (R2.2): the highest one obtained by the cut-off counts."""

    model = EducationRecord
    names = SECTIONS["education"].fields


class WorkForm(ContentForm):
    model = WorkRecord
    names = SECTIONS["work"].fields


class SocialInsuranceForm(ContentForm):
    """A period of contributions (R4.7), entered by month."""

    model = SocialInsuranceRecord
    names = SECTIONS["social_insurance"].fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start_month", "end_month"):
            field = self.fields[name]
            field.widget = MonthInput()
            field.input_formats = MONTH_INPUT_FORMATS  # type: ignore[attr-defined]
        self.fields["start_month"].help_text = _("格式：年-月，例如 2024-01。")


ROW_FORMS: dict[str, type[ContentForm]] = {
    "education": EducationForm,
    "work": WorkForm,
    "social_insurance": SocialInsuranceForm,
}
