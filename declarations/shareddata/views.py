"""Pages of shared-data verification (R5.4): the re-check and the unit's finding.

The items are shown on the declaration's page (``shared_data_context``); these views
only act and return there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.exceptions import ServiceError
from declarations.models import Declaration
from declarations.selectors import declaration_get_for_user
from declarations.shareddata.forms import SharedDataConfirmForm
from declarations.shareddata.selectors import SharedDataItem, shared_data_item, shared_data_items
from declarations.shareddata.services import (
    shared_data_can_reverify,
    shared_data_confirm,
    shared_data_holds_for_confirmation,
    shared_data_kind_or_404,
    shared_data_reverify,
)


@dataclass(frozen=True)
class FailedRow:
    """An item that failed, with the unit's form for it (when the viewer may confirm)."""

    item: SharedDataItem
    form: SharedDataConfirmForm | None


def shared_data_context(declaration: Declaration, user: User) -> dict[str, Any]:
    """What the declaration page shows of R5.4: verified and failed items apart."""
    items = shared_data_items(declaration)
    can_confirm = shared_data_holds_for_confirmation(declaration, user)
    return {
        "shared_data_verified": [i for i in items if i.verified],
        "shared_data_failed": [
            FailedRow(i, SharedDataConfirmForm(prefix=i.kind) if can_confirm else None)
            for i in items
            if not i.verified
        ],
        "can_reverify_shared_data": shared_data_can_reverify(declaration, user),
        "can_confirm_shared_data": can_confirm,
    }


@login_required
@require_POST
def shared_data_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the declaration against shared data again (重新核验)."""
    declaration = declaration_get_for_user(request.user, pk)
    try:
        shared_data_reverify(declaration=declaration, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新核验共享数据。"))
    return redirect(declaration)


@login_required
@require_POST
def shared_data_confirm_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record the unit's finding on an item that failed verification (R5.4, R6.1)."""
    declaration = declaration_get_for_user(request.user, pk)
    shared_data_kind_or_404(kind)
    item = shared_data_item(declaration, kind)
    if item is None:
        raise Http404
    form = SharedDataConfirmForm(request.POST, prefix=kind)
    if not form.is_valid():
        messages.error(request, _("请选择人工核实结论。"))
        return redirect(declaration)
    try:
        shared_data_confirm(
            check=item.check, actor=request.user, accepted=form.accepted,
            note=form.cleaned_data["note"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已记录“%(kind)s”的人工核实结论。") % {"kind": item.check.get_kind_display()},
        )
    return redirect(declaration)
