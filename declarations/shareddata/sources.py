"""Where shared government data comes from (R5.4): one interface, one default source.

The platform asks a ``SharedDataSource`` for one item of one person at a time. The
default, ``DatabaseSource``, reads the reference dataset the title office imports with
``manage.py import_shared_data``; ``settings.SHARED_DATA_SOURCE`` names the class to use,
so that a government data-exchange endpoint can replace it without changing the checks.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from declarations.models import SharedDataRecord

DEFAULT_SOURCE = "declarations.shareddata.sources.DatabaseSource"


@dataclass(frozen=True)
class SourceRecord:
    """One item of one person as a source returns it.

    ``data`` has the fields of the item's kind listed in docs/shared-data.md (for example
    ``{"name": "李明轩"}`` for ``personal_data``); ``source`` names where it came from, as
    shown to reviewers; ``retrieved_at`` is when the source last had it.
    """

    kind: str
    id_number: str
    data: Mapping[str, Any]
    source: str
    retrieved_at: datetime.datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class SharedDataUnavailable(Exception):
    """The source could not answer now (timeout, outage); the check is recorded as such."""


@runtime_checkable
class SharedDataSource(Protocol):
    """A source of shared government data for the six items of R5.4.

    To plug in a real endpoint (e.g. the city's government data-exchange platform):

    - write a class with a ``name`` (shown to reviewers as the data's origin) and
      ``lookup``; its constructor takes no arguments and reads its address, credentials
      and timeout from settings or the environment, never from code;
    - ``lookup(kind, id_number)`` returns the person's item of that kind mapped to the
      fields of docs/shared-data.md, or ``None`` when the source has no such item;
    - it raises ``SharedDataUnavailable`` for anything transient (timeout, HTTP 5xx,
      refused connection) and must not raise anything else: a declaration is submitted
      even when the source is down, and the item is then shown as not verified;
    - it is called inside the submission's transaction, once per item: keep its timeout
      short (a few seconds) and hold no state between calls in memory (several web
      processes run side by side);
    - set ``SHARED_DATA_SOURCE = "package.module.ClassName"`` in the settings;
    - optionally, ``lookup_many(kinds, id_number)`` answers several items at once (a dict
      of kind to record or ``None``), which a submission then uses instead of one
      ``lookup`` per item.

    Tests replace the source with a fake implementing this protocol; the database source
    is tested for real.
    """

    name: str

    def lookup(self, kind: str, id_number: str) -> SourceRecord | None:
        """Return the person's item of ``kind``, or None if the source has none."""
        ...


class DatabaseSource:
    """The reference dataset imported into ``SharedDataRecord`` (the default source)."""

    name = "数据库参考数据集"

    def lookup(self, kind: str, id_number: str) -> SourceRecord | None:
        record = SharedDataRecord.objects.filter(kind=kind, id_number=id_number).first()
        if record is None:
            return None
        return SourceRecord(
            kind=record.kind,
            id_number=record.id_number,
            data=record.data,
            source=record.source,
            retrieved_at=record.imported_at,
        )

    def lookup_many(self, kinds: list[str], id_number: str) -> dict[str, SourceRecord | None]:
        """Every item of ``kinds`` in one query (optional in the protocol; see ``lookup``)."""
        found = {
            r.kind: SourceRecord(
                kind=r.kind,
                id_number=r.id_number,
                data=r.data,
                source=r.source,
                retrieved_at=r.imported_at,
            )
            for r in SharedDataRecord.objects.filter(kind__in=kinds, id_number=id_number)
        }
        return {kind: found.get(kind) for kind in kinds}


def shared_data_source() -> SharedDataSource:
    """Return an instance of the configured source (``settings.SHARED_DATA_SOURCE``)."""
    path = getattr(settings, "SHARED_DATA_SOURCE", DEFAULT_SOURCE)
    source: SharedDataSource = import_string(path)()
    return source
