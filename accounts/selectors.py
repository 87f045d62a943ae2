"""Reads of people and organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation


def organisation_directory(
    *, kind: str = "", district: str = "", search: str = ""
) -> QuerySet[Organisation]:
    """Active organisations, filtered; public by design so applicants find the next one (R3.4)."""
    organisations = Organisation.objects.filter(is_active=True).select_related("superior")
    if kind:
        organisations = organisations.filter(kind=kind)
    if district:
        organisations = organisations.filter(district=district)
    if search.strip():
        organisations = organisations.filter(name__icontains=search.strip())
    return organisations.order_by("kind", "district", "name", "pk")
