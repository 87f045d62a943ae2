"""The resident ID number (居民身份证号码, GB 11643-1999) and phone numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_ID_RE = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def id_number_check_digit(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise_id_number(value: str) -> str:
    """Strip blanks and upper-case the check character (people type a small x)."""
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    """Refuse anything but an 18-character resident ID with a valid date and check digit."""
    value = normalise_id_number(value)
    if not _ID_RE.match(value):
        raise ValidationError(
            _("身份证号码应为18位：17位数字加1位数字或X。"), code="id_number_format"
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期无效。"), code="id_number_birth_date"
        ) from None
    if birth.year < 1900 or birth > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_number_birth_date")
    if id_number_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="id_number_check_digit")


def validate_phone(value: str) -> None:
    """Accept a mainland mobile number or a landline with its area code."""
    if not _PHONE_RE.match((value or "").strip()):
        raise ValidationError(
            _("请输入11位手机号码或带区号的固定电话。"), code="phone_format"
        )


def mask_id_number(value: str) -> str:
    """Show the first 6 and last 4 characters only (for roles that do not need the rest)."""
    if not value or len(value) < 10:
        return value
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
