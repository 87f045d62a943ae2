"""Template tags of the content pages: the eligibility checklist on any declaration page."""

from __future__ import annotations

from django import template

from declarations.content_views import Checklist, declaration_checklist
from declarations.models import Declaration

register = template.Library()


@register.simple_tag
def eligibility_checklist(declaration: Declaration) -> Checklist:
    """The findings on ``declaration`` now, for ``_eligibility.html`` on pages whose view
    does not compute them (the detail page); the content page passes its own."""
    return declaration_checklist(declaration)
