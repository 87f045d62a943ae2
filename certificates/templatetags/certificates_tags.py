"""``{% declaration_documents declaration %}``: the holder's downloads box on the declaration page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("certificates/_downloads.html", takes_context=True)
def declaration_documents(context: dict[str, Any], declaration: Any) -> dict[str, Any]:
    """The review form and certificate of ``declaration`` with their download links (R8.4, R8.7)."""
    from certificates.views import declaration_documents_context
    from declarations.enums import State

    # Only once the committee passed it: before that there is nothing to download.
    if declaration.state not in (State.PASSED, State.RESULTS_PUBLICITY, State.CONFIRMED, State.CERTIFIED):
        return {"hidden": True}
    request = context.get("request")
    user = getattr(request, "user", None)
    return declaration_documents_context(user, declaration)
