"""Paths and labels of many objects at once: ``reverse`` and each translation once per
list, not once per row (the queue page and the queue API, docs/benchmarks.md)."""

from __future__ import annotations

from django.urls import reverse

# A path with this id in place of the object's is reversed once per list; each row then
# only formats its id in (``reverse`` per row was a tenth of the queue page's time,
# docs/benchmarks.md).
_PATH_SENTINEL = 987654321


def path_format(url_name: str) -> str:
    """``reverse(url_name, args=[pk])`` as a ``str.format`` pattern with ``{}`` for the pk."""
    return reverse(url_name, args=[_PATH_SENTINEL]).replace(str(_PATH_SENTINEL), "{}")


class ChoiceLabels:
    """The shown labels of choice fields over one list: ``labels("level", obj)`` is
    ``obj.get_level_display()``, translated once per distinct value of the list."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, object], str] = {}

    def __call__(self, name: str, obj: object) -> str:
        key = (name, getattr(obj, name))
        text = self._found.get(key)
        if text is None:
            text = self._found[key] = getattr(obj, f"get_{name}_display")()
        return text
