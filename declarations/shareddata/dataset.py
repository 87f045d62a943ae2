"""The reference dataset of shared data (R5.4): its row format, validation and import.

A dataset is a CSV or JSON file of flat rows: ``kind``, ``id_number`` and the fields of
that kind (``FIELDS``; docs/shared-data.md). Rows are validated before anything is
written; the import is an upsert keyed on (kind, ID number), so importing the same file
twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.validators import normalise_id_number, validate_id_number
from declarations.enums import Level, SharedDataKind
from declarations.models import SharedDataRecord

K = SharedDataKind


class RowError(ValueError):
    """A row of the dataset that cannot be imported; the message says why."""


def _text(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    if not text:
        raise RowError("empty")
    return text


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise RowError("not an integer")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise RowError("not an integer") from None
    if number < 0:
        raise RowError("negative")
    return number


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise RowError("not a number")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise RowError("not a number") from None
    if number < 0:
        raise RowError("negative")
    return int(number) if number.is_integer() else number


_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否"}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError("not true/false")


def _date(value: Any) -> str:
    try:
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise RowError("not a date YYYY-MM-DD") from None


_LEVEL_BY_LABEL = {str(label): value for value, label in Level.choices}


def _level(value: Any) -> str:
    text = _text(value)
    if text in Level.values:
        return text
    if text in _LEVEL_BY_LABEL:
        return _LEVEL_BY_LABEL[text]
    raise RowError("unknown title level")


@dataclass(frozen=True)
class Spec:
    """One field of a kind: how to clean it and whether a row must have it."""

    clean: Callable[[Any], Any]
    required: bool = False


# The fields of each kind (docs/shared-data.md). Unknown fields are refused so that a
# misspelt column is noticed instead of silently dropped.
FIELDS: dict[str, dict[str, Spec]] = {
    K.PERSONAL_DATA: {"name": Spec(_text, True), "birth_date": Spec(_date)},
    K.SOCIAL_INSURANCE_EMPLOYER: {
        "employer": Spec(_text, True),
        "since": Spec(_date),
        "months": Spec(_int),
    },
    K.ARCHIVE_AGENCY: {"agency": Spec(_text, True), "since": Spec(_date)},
    K.CURRENT_QUALIFICATION: {
        "level": Spec(_level, True),
        "specialty": Spec(_text),
        "obtained_on": Spec(_date),
    },
    # One row per year; rows of the same person are merged into ``years``.
    K.CONTINUING_EDUCATION: {
        "year": Spec(_int, True),
        "hours": Spec(_number, True),
        "completed": Spec(_bool, True),
    },
    K.POST_VACANCY: {
        "unit": Spec(_text, True),
        "level": Spec(_level, True),
        "vacant": Spec(_bool, True),
    },
}


@dataclass(frozen=True)
class Row:
    """A validated row."""

    kind: str
    id_number: str
    data: dict[str, Any]


def clean_row(raw: Mapping[str, Any]) -> Row:
    """Validate one raw row and return it cleaned; raise ``RowError`` naming the fault."""
    kind = str(raw.get("kind") or "").strip()
    if kind not in FIELDS:
        raise RowError(f"kind: unknown kind {kind!r}")
    id_number = normalise_id_number(str(raw.get("id_number") or ""))
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        raise RowError(f"id_number: {exc.messages[0]}") from None
    specs = FIELDS[kind]
    unknown = sorted(set(raw) - {"kind", "id_number"} - set(specs))
    unknown = [name for name in unknown if raw.get(name) not in (None, "")]
    if unknown:
        raise RowError(f"{unknown[0]}: not a field of {kind}")
    data: dict[str, Any] = {}
    for name, spec in specs.items():
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                raise RowError(f"{name}: required")
            continue
        try:
            data[name] = spec.clean(value)
        except RowError as exc:
            raise RowError(f"{name}: {exc}") from None
    return Row(kind=kind, id_number=id_number, data=data)


def read_rows(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    """Read raw rows from a ``.csv`` or ``.json`` file; return them and the file's source name.

    JSON is either a list of rows or ``{"source": "...", "records": [...]}``. CSV has a
    header row with ``kind``, ``id_number`` and the field columns; empty cells are absent.
    """
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        content = json.loads(text)
        if isinstance(content, dict):
            return list(content.get("records") or []), content.get("source")
        if isinstance(content, list):
            return content, None
        raise RowError("JSON must be a list of rows or an object with 'records'")
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(io.StringIO(text))), None
    raise RowError("the file must end in .csv or .json")


@dataclass
class ImportResult:
    """What an import did, and the rows it refused (line or index, reason)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _merge(kind: str, rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Fold rows into one data dict per person; continuing education by year."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        if kind == K.CONTINUING_EDUCATION:
            years = merged.setdefault(row.id_number, {"years": {}})["years"]
            years[str(row.data["year"])] = {
                "hours": row.data["hours"],
                "completed": row.data["completed"],
            }
        else:
            merged[row.id_number] = row.data
    return merged


def validate_rows(
    raw_rows: Iterable[Mapping[str, Any]], *, first_line: int = 1
) -> tuple[list[Row], list[tuple[int, str]]]:
    """Clean every row; return the good rows and ``(line, reason)`` for each bad one."""
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    for line, raw in enumerate(raw_rows, start=first_line):
        if not isinstance(raw, Mapping):
            errors.append((line, "not an object"))
            continue
        try:
            rows.append(clean_row(raw))
        except RowError as exc:
            errors.append((line, str(exc)))
    return rows, errors


@transaction.atomic
def shared_data_import(
    *, rows: Iterable[Row], source: str, now: datetime.datetime | None = None
) -> ImportResult:
    """Upsert validated rows into the reference dataset; a row equal to what is stored is left alone.

    Continuing-education years are merged into the stored ones (a file of this year's
    hours keeps last year's); every other kind replaces the stored item.
    """
    now = now or timezone.now()
    result = ImportResult()
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    for kind, kind_rows in by_kind.items():
        merged = _merge(kind, kind_rows)
        existing = {
            r.id_number: r
            for r in SharedDataRecord.objects.select_for_update().filter(
                kind=kind, id_number__in=list(merged)
            )
        }
        for id_number, data in merged.items():
            record = existing.get(id_number)
            if record is None:
                SharedDataRecord.objects.create(
                    kind=kind, id_number=id_number, data=data, source=source, imported_at=now
                )
                result.created += 1
                continue
            if kind == K.CONTINUING_EDUCATION:
                data = {"years": {**record.data.get("years", {}), **data["years"]}}
            if record.data == data and record.source == source:
                result.unchanged += 1
                continue
            record.data = data
            record.source = source
            record.imported_at = now
            record.save(update_fields=["data", "source", "imported_at"])
            result.updated += 1
    return result
