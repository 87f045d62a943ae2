"""Certificate numbers (证书编号): ``CQSZ<year>-<level>-<serial>-<check>``.

``CQSZ``    重庆数字 (Chongqing digital-technology title), fixed.
``year``    the campaign's year (评审年度), four digits.
``level``   the level's rank of R2.1: 1 技术员, 2 助理工程师, 3 工程师, 4 高级工程师, 5 正高级工程师.
``serial``  six digits, from 000001 within that year and level, in the order numbers are reserved.
``check``   ISO 7064 MOD 11-2 over the eleven digits of year, level and serial, ``0``-``9`` or ``X``
            (the same scheme as the resident ID number's last character), so a mistyped digit
            or two swapped digits are caught before any lookup.

Example: ``CQSZ2024-3-000123-7``. A number is reserved in the transaction that creates
the certificate row and is never given again, even if that certificate is revoked
(docs/certificates.md).
"""

from __future__ import annotations

import re

from django.db.models import F

from declarations.enums import LEVEL_RANK, Level

PREFIX = "CQSZ"
SERIAL_DIGITS = 6
NUMBER_RE = re.compile(r"^CQSZ(\d{4})-([1-5])-(\d{6})-([0-9X])$")
_COMPACT_RE = re.compile(r"^CQSZ(\d{4})-?([1-5])-?(\d{6})-?([0-9X])$")
# Dashes people type or paste instead of the ASCII hyphen.
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "―": "-"})


def mod11_2(digits: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character of a string of digits."""
    p = 0
    for c in digits:
        p = ((p + int(c)) * 2) % 11
    value = (12 - p) % 11
    return "X" if value == 10 else str(value)


def level_digit(level: str) -> int:
    return LEVEL_RANK[Level(level)]


def format_number(year: int, level: str, serial: int) -> str:
    """Compose the number of the ``serial``-th certificate of ``year`` and ``level``."""
    if not 1 <= serial < 10**SERIAL_DIGITS:
        raise ValueError(f"serial out of range: {serial}")
    body = f"{year:04d}{level_digit(level)}{serial:0{SERIAL_DIGITS}d}"
    return f"{PREFIX}{year:04d}-{level_digit(level)}-{serial:0{SERIAL_DIGITS}d}-{mod11_2(body)}"


def normalise_number(value: str) -> str:
    """Canonical form of a typed number: upper case, no blanks, ASCII hyphens, hyphens restored."""
    text = "".join((value or "").split()).upper().translate(_DASHES)
    m = _COMPACT_RE.match(text)
    if m is None:
        return text
    return f"{PREFIX}{m[1]}-{m[2]}-{m[3]}-{m[4]}"


def number_is_well_formed(value: str) -> bool:
    """Whether ``value`` (canonical) has the format and a correct check character."""
    m = NUMBER_RE.match(value)
    return m is not None and mod11_2(m[1] + m[2] + m[3]) == m[4]


def number_reserve(*, year: int, level: str) -> str:
    """Take the next number of ``year`` and ``level``; call inside the issuing transaction.

    The serial row is locked until that transaction ends, so two workers never take the
    same serial, and a rolled-back issue gives its serial back.
    """
    from certificates.models import CertificateSerial

    CertificateSerial.objects.get_or_create(year=year, level=level)
    serial = CertificateSerial.objects.select_for_update().get(year=year, level=level)
    CertificateSerial.objects.filter(pk=serial.pk).update(last=F("last") + 1)
    serial.refresh_from_db(fields=["last"])
    return format_number(year, level, serial.last)
