"""Paths of many objects at once: ``reverse`` once per list, not once per row."""

from __future__ import annotations

from django.urls import reverse

# A path with this id in place of the object's is reversed once per list; each row then
# only formats its id in (``reverse`` per row was a tenth of the queue page's time,
# docs/benchmarks.md).
_PATH_SENTINEL = 987654321


def path_format(url_name: str) -> str:
    """``reverse(url_name, args=[pk])`` as a ``str.format`` pattern with ``{}`` for the pk."""
    return reverse(url_name, args=[_PATH_SENTINEL]).replace(str(_PATH_SENTINEL), "{}")
