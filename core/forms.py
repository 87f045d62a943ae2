"""What every app's forms share: Chinese-friendly labels and service errors on fields."""

from __future__ import annotations

from typing import Any

from django import forms

from core.exceptions import ServiceError


class PlatformForm(forms.Form):
    """A form whose labels carry no ASCII colon and whose wrappers say what is required."""

    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_error(form: forms.Form, exc: ServiceError) -> bool:
    """Attach a refused action's message to the field it names; say whether it did.

    A message that names no field of this form is left to the caller, which shows it
    with the messages framework.
    """
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, str(exc.message))
        return True
    return False
