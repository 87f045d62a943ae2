"""Reads of shared-data checks (R5.4): each item with what it still needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError

from declarations.enums import SharedDataKind, SharedDataStatus
from declarations.models import Declaration, SharedDataCheck

St = SharedDataStatus
_ORDER = {kind: i for i, kind in enumerate(SharedDataKind.values)}


def evidence_purposes_for(declaration: Declaration) -> set[str]:
    """The purposes of the evidence files the declaration has (one query).

    Evidence of a shared-data item has the item's kind as its purpose
    (``EvidencePurpose``); an installation without the evidence model has none.
    """
    try:
        evidence = apps.get_model("declarations", "Evidence")
    except LookupError:
        return set()
    try:
        purposes = evidence.objects.filter(
            declaration=declaration, purpose__in=SharedDataKind.values
        ).order_by().values_list("purpose", flat=True)
        return set(purposes)
    except FieldError:
        return set()


@dataclass(frozen=True)
class SharedDataItem:
    """One check with what follows from it: is it satisfied, does it need evidence."""

    check: SharedDataCheck
    has_evidence: bool

    @property
    def kind(self) -> str:
        return self.check.kind

    @property
    def verified(self) -> bool:
        return self.check.status == St.VERIFIED

    @property
    def needs_evidence(self) -> bool:
        """R5.4: an item that failed needs evidence uploaded for manual review."""
        return self.check.status in (St.NOT_VERIFIED, St.NOT_FOUND) and not self.has_evidence

    @property
    def satisfied(self) -> bool:
        """Verified, confirmed by the unit, or failed with its evidence uploaded."""
        status = self.check.status
        if status in (St.VERIFIED, St.CONFIRMED_BY_UNIT):
            return True
        return status in (St.NOT_VERIFIED, St.NOT_FOUND) and self.has_evidence

    @property
    def awaiting_unit(self) -> bool:
        """Failed automatically and not yet confirmed or rejected by the unit."""
        return self.check.status in (St.NOT_VERIFIED, St.NOT_FOUND)


def shared_data_items(declaration: Declaration) -> list[SharedDataItem]:
    """The declaration's checks in the notice's order, with their evidence (two queries)."""
    checks = sorted(
        SharedDataCheck.objects.filter(declaration=declaration).select_related("confirmed_by"),
        key=lambda c: _ORDER.get(c.kind, len(_ORDER)),
    )
    purposes = evidence_purposes_for(declaration) if checks else set()
    return [SharedDataItem(check=c, has_evidence=c.kind in purposes) for c in checks]


def shared_data_item(declaration: Declaration, kind: str) -> SharedDataItem | None:
    """One item of the declaration, or None when it has not been checked."""
    for item in shared_data_items(declaration):
        if item.kind == kind:
            return item
    return None
