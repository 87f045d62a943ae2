"""Reads of people and organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation, TitleAdministrator, User


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


def organisation_administrators(*organisation_ids: int | None) -> list[User]:
    """The active title administrators of the given organisations (None ids are skipped):
    the people a notice to an organisation goes to."""
    ids = [i for i in organisation_ids if i]
    if not ids:
        return []
    return [
        b.user
        for b in TitleAdministrator.objects.filter(organisation_id__in=ids, is_active=True).select_related(
            "user"
        )
    ]
