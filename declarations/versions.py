"""Versions of a declaration: what it said at each submission, and what changed since.

DESIGN.md: "A resubmission freezes a new version; reviewers see what changed."
``version_freeze`` is called by ``declaration_submit`` and ``declaration_resubmit`` inside
their transaction. A snapshot is built from sections: ``core`` (level, field, type,
category, organisations) and one section per content model of the declaration (any
model of this app with a foreign key or one-to-one to ``Declaration``, e.g. the current
title, education, work and social-insurance rows, achievements and evidence files, with
their checksums), serialised to plain values. Another module may register its own
provider for a section with ``register_section``. ``version_diff`` compares two
snapshots field by field. See docs/versions.md.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from declarations.models import Declaration, DeclarationVersion

SectionProvider = Callable[[Declaration], Any]

CORE_SECTION = "core"
CORE_FIELDS = ("level", "field", "declaration_type", "category")
ORGANISATION_FIELDS = ("unit", "competent_department", "personnel_agency", "district_hr",
                       "management_body")
# Models of this app that relate to a declaration but are not what the applicant declared.
NOT_CONTENT = frozenset({"declarationversion", "shareddatacheck", "payment"})

_SECTIONS: dict[str, SectionProvider] = {}
_LABELS: dict[str, str] = {}


def register_section(name: str, provider: SectionProvider, *, label: str = "") -> None:
    """Add (or replace) a section of the snapshot.

    ``provider(declaration)`` returns plain JSON values: a dict of fields for a
    one-off record, or a list of items ``{"id": ..., "label": ..., "fields": {...}}``.
    """
    _SECTIONS[name] = provider
    if label:
        _LABELS[name] = label


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _content_fields(model: type[models.Model], link: str) -> list[models.Field]:
    fields = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name == link or isinstance(f, models.FileField):
            continue  # the file's checksum identifies it; its storage name is random
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        fields.append(f)
    return fields


def serialise(obj: models.Model, fields: list[models.Field]) -> dict[str, Any]:
    """A model instance as plain values (foreign keys by id), like ``model_to_dict``."""
    return {f.name: _plain(getattr(obj, f.attname)) for f in fields}


def _core(d: Declaration) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(d, name) for name in CORE_FIELDS}
    for name in ORGANISATION_FIELDS:
        org = getattr(d, name)
        data[name] = org.name if org is not None else None
    return data


def _content_links() -> list[tuple[str, type[models.Model], models.Field]]:
    """Every model of this app linked to ``Declaration``: (section name, model, link field)."""
    links = []
    for model in apps.get_app_config("declarations").get_models():
        name = model._meta.model_name
        if model is Declaration or name in NOT_CONTENT:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Declaration:
                links.append((name, model, f))
                break
    return links


def _content_provider(model: type[models.Model], link: models.Field) -> SectionProvider:
    fields = _content_fields(model, link.name)
    related = link.remote_field
    accessor = related.get_accessor_name()

    def provide(d: Declaration) -> Any:
        if isinstance(link, models.OneToOneField):
            # Loaded by ``load_content`` (None when the declaration has no such record).
            obj = related.get_cached_value(d) if related.is_cached(d) else (
                model._default_manager.filter(**{link.name: d}).order_by("pk").first()
            )
            return serialise(obj, fields) if obj is not None else None
        loaded = getattr(d, "_prefetched_objects_cache", {}).get(accessor)
        if loaded is not None:
            rows: Any = sorted(loaded, key=lambda obj: obj.pk)
        else:
            rows = model._default_manager.filter(**{link.name: d}).order_by("pk")
        return [{"id": obj.pk, "label": str(obj), "fields": serialise(obj, fields)} for obj in rows]

    return provide


@functools.cache
def _content_links_cached() -> tuple[tuple[str, type[models.Model], models.Field], ...]:
    return tuple(_content_links())


def keep_loaded(instance: models.Model, accessor: str, rows: list[Any]) -> None:
    """Keep ``rows`` as the loaded content of the reverse relation ``accessor`` of
    ``instance``, as ``prefetch_related`` does: ``instance.<accessor>.all()`` then answers
    them without a query."""
    queryset = getattr(instance, accessor).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[accessor] = queryset


_ATTNAMES: dict[type[models.Model], list[str]] = {}


def _json_floats(value: Any) -> Any:
    """A JSON value parsed with decimals back to what ``json.loads`` gives (floats)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list):
        return [_json_floats(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_floats(v) for k, v in value.items()}
    return value


def _from_json(model: type[models.Model], data: Mapping[str, Any]) -> models.Model:
    """A model instance from ``row_to_json`` of its row, as the ORM would have loaded it."""
    values = []
    for f in model._meta.concrete_fields:
        value = data.get(f.column)
        if value is not None:
            value = _json_floats(value) if isinstance(f, models.JSONField) else f.to_python(value)
        values.append(value)
    attnames = _ATTNAMES.get(model)
    if attnames is None:
        attnames = _ATTNAMES[model] = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(connection.alias, attnames, values)


def _links_for(also: tuple[str, ...]) -> list[tuple[type[models.Model], models.Field]]:
    links = [(model, link) for _name, model, link in _content_links_cached()]
    for accessor in also:
        rel = Declaration._meta.get_field(accessor)
        links.append((rel.related_model, rel.field))
    return links


# One part of ``load_rows``: a model, a condition on its table (aliased ``t``), its params.
RowQuery = tuple[type[models.Model], str, list[Any]]


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def load_rows(queries: list[RowQuery]) -> list[list[models.Model]]:
    """The rows of each query, all read in one round trip (each row as JSON), by ``pk``.

    Each row becomes an instance as the ORM loads it (``Field.to_python`` of each JSON
    value; JSON columns as ``json.loads`` gives them): for models whose columns JSON
    represents exactly (text, numbers, booleans, dates and times, JSON), as every model
    read this way is.
    """
    if not queries:
        return []
    qn = connection.ops.quote_name
    if not _postgresql():
        # The embedded SQLite of ``make run`` has no row_to_json: one query per model,
        # the same rows (the WHERE clauses are plain SQL).
        return [
            sorted(
                model.objects.raw(f"SELECT t.* FROM {qn(model._meta.db_table)} t WHERE {where}", params),  # noqa: S608 - names from the models
                key=lambda obj: obj.pk,
            )
            for model, where, params in queries
        ]
    sql = " UNION ALL ".join(
        f"SELECT {i}, row_to_json(t)::text FROM {qn(model._meta.db_table)} t WHERE {where}"  # noqa: S608 - names from the models
        for i, (model, where, _params) in enumerate(queries)
    )
    found: list[list[models.Model]] = [[] for _query in queries]
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _model, _where, params in queries for p in params])
        for i, text in cursor.fetchall():
            found[i].append(_from_json(queries[i][0], json.loads(text, parse_float=decimal.Decimal)))
    for rows in found:
        rows.sort(key=lambda obj: obj.pk)
    return found


def load_content(
    declaration: Declaration, *, also: tuple[str, ...] = (), more: list[RowQuery] | None = None
) -> list[list[models.Model]]:
    """Read every content section of ``declaration`` once and keep it on the instance.

    One query for all of them (each row as JSON), instead of each reader querying its
    sections again: eligibility (R1.2, R2.2, R4.7), the evidence check (R8.6), the
    shared-data comparers (R5.4) and the version snapshot then read the same rows through
    the usual accessors (``declaration.current_title``, ``declaration.education_records
    .all()``, ...). ``also`` names other reverse relations of the declaration to load and
    keep the same way (``"route"``, ``"shared_data_checks"``...); ``more`` adds other rows
    to the same query, whose lists are returned. Call it after the declaration's row lock
    was taken, so that the rows are those the lock protects (docs/benchmarks.md).
    """
    links = _links_for(also)
    queries: list[RowQuery] = [
        (model, f"t.{connection.ops.quote_name(link.column)} = %s", [declaration.pk])
        for model, link in links
    ]
    found = load_rows(queries + list(more or []))
    for (_model, link), rows in zip(links, found, strict=False):
        for obj in rows:
            link.set_cached_value(obj, declaration)
        related = link.remote_field
        if isinstance(link, models.OneToOneField):
            related.set_cached_value(declaration, rows[0] if rows else None)
        else:
            keep_loaded(declaration, related.get_accessor_name(), rows)
    return found[len(links):]


def sections() -> dict[str, SectionProvider]:
    """The providers of a snapshot: core, the registered ones, then every content model."""
    found: dict[str, SectionProvider] = {CORE_SECTION: _core}
    found.update(_SECTIONS)
    for name, model, link in _content_links_cached():
        found.setdefault(name, _content_provider(model, link))
    return found


def section_label(name: str) -> str:
    """The section's name as people read it."""
    if name == CORE_SECTION:
        return _("申报信息")
    if name in _LABELS:
        return _LABELS[name]
    try:
        return str(apps.get_model("declarations", name)._meta.verbose_name)
    except LookupError:
        return name


def version_snapshot(declaration: Declaration) -> dict[str, Any]:
    """What the declaration says now, as plain values, section by section.

    Built in the site's language so that labels kept in it do not depend on the reader.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return {name: provide(declaration) for name, provide in sections().items()}


def version_freeze(
    *,
    declaration: Declaration,
    reason: str,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> DeclarationVersion:
    """Store the next version of the declaration; call under the declaration's row lock."""
    loaded = getattr(declaration, "_prefetched_objects_cache", {}).get("versions")
    if loaded is not None:  # load_content(also=("versions",)) under the same lock
        last = max((v.number for v in loaded), default=None)
    else:
        last = DeclarationVersion.objects.filter(declaration=declaration).aggregate(n=Max("number"))["n"]
    return DeclarationVersion.objects.create(
        declaration=declaration,
        number=(last or 0) + 1,
        reason=reason,
        frozen_at=now or timezone.now(),
        frozen_by=actor if getattr(actor, "pk", None) else None,
        data=version_snapshot(declaration),
    )


@dataclass(frozen=True)
class Change:
    """One difference between two versions.

    ``change`` is ``changed``, ``added`` or ``removed``; ``item`` labels the row of a
    list section (empty for a record section); ``field`` is empty when a whole item or
    section was added or removed, whose values are then in ``before``/``after``.
    """

    section: str
    item: str
    field: str
    before: Any
    after: Any
    change: str = "changed"


def _diff_record(section: str, item: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    names = list(old) + [k for k in new if k not in old]
    return [
        Change(section, item, name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    ]


def _diff_items(section: str, old: list[Any], new: list[Any]) -> list[Change]:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    changes: list[Change] = []
    for key, item in before.items():
        if key not in after:
            changes.append(Change(section, item.get("label", ""), "", item["fields"], None, "removed"))
        else:
            label = after[key].get("label") or item.get("label", "")
            changes.extend(_diff_record(section, label, item["fields"], after[key]["fields"]))
    for key, item in after.items():
        if key not in before:
            changes.append(Change(section, item.get("label", ""), "", None, item["fields"], "added"))
    return changes


def version_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference from snapshot ``old`` to snapshot ``new``, section by section."""
    changes: list[Change] = []
    for section in list(old) + [s for s in new if s not in old]:
        a, b = old.get(section), new.get(section)
        if a == b:
            continue
        if isinstance(a, list) or isinstance(b, list):
            changes.extend(_diff_items(section, a or [], b or []))
        elif isinstance(a, Mapping) and isinstance(b, Mapping):
            changes.extend(_diff_record(section, "", a, b))
        else:
            kind = "added" if a is None else "removed" if b is None else "changed"
            changes.append(Change(section, "", "", a, b, kind))
    return changes


def version_base_for_latest_return(declaration: Declaration) -> DeclarationVersion | None:
    """The version that was under review when the declaration was last returned."""
    from review.enums import DecisionKind
    from review.models import Decision

    returned = (
        Decision.objects.filter(declaration=declaration, kind=DecisionKind.RETURN)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if returned is None:
        return None
    return (
        DeclarationVersion.objects.filter(declaration=declaration, frozen_at__lte=returned.decided_at)
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class ChangeView:
    """A change with its labels and values as reviewers read them."""

    section: str
    item: str
    field: str
    before: str
    after: str
    change: str


def _field_of(section: str, name: str) -> models.Field | None:
    model: type[models.Model] | None = Declaration if section == CORE_SECTION else None
    if model is None:
        try:
            model = apps.get_model("declarations", section)
        except LookupError:
            return None
    try:
        return model._meta.get_field(name)  # type: ignore[return-value]
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: a field removed since the version
        return None


def _show(f: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Mapping):
        return "；".join(f"{k}: {_show(None, v)}" for k, v in value.items())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if f is not None and f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)


def version_changes_for_display(changes: list[Change]) -> list[ChangeView]:
    """Label sections, fields and choice values of ``changes`` for a page."""
    views = []
    for c in changes:
        f = _field_of(c.section, c.field) if c.field else None
        views.append(
            ChangeView(
                section=section_label(c.section),
                item=c.item,
                field=str(f.verbose_name) if f is not None else c.field,
                before=_show(f, c.before),
                after=_show(f, c.after),
                change=c.change,
            )
        )
    return views


@dataclass(frozen=True)
class ChangesSinceReturn:
    base: DeclarationVersion
    head: DeclarationVersion
    changes: list[Change]


def version_changes_since_return(declaration: Declaration) -> ChangesSinceReturn | None:
    """What changed between the version last returned and the version resubmitted after it.

    None while there is no return, or the declaration has not been resubmitted since.
    """
    base = version_base_for_latest_return(declaration)
    if base is None:
        return None
    head = DeclarationVersion.objects.filter(declaration=declaration).order_by("-number").first()
    if head is None or head.number <= base.number:
        return None
    return ChangesSinceReturn(base=base, head=head, changes=version_diff(base.data, head.data))


def version_page_context(declaration: Declaration) -> dict[str, Any]:
    """What the declaration page shows of its versions: the changes since the last return."""
    since = version_changes_since_return(declaration)
    return {
        "changes_since_return": since,
        "changes_since_return_rows": version_changes_for_display(since.changes) if since else [],
    }
