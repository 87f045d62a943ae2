"""Pages of unit publicity (R6.3): the unit's batches and complaints, and the public notice.

The public pages need no login: the notice board of current batches, one batch with its
candidates (no ID number, no phone), the complaint form and each candidate's printable
form. Every write calls one service of ``review.publicity``.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ServiceError
from core.forms import add_service_error
from review.forms import ComplaintForm, ComplaintResolveForm, PublicityPublishForm
from review.models import PublicityBatch
from review.pdf import publicity_form_pdf
from review.publicity import (
    BOARD_KEY,
    BOARD_VERSION_KEY,
    complaint_file,
    complaint_get_for_user,
    complaint_resolve,
    organisation_complaint_contact,
    period_label,
    publicity_batch_get_for_user,
    publicity_batch_get_public,
    publicity_batch_list_for_user,
    publicity_batch_list_public,
    publicity_batch_publish,
    publicity_candidates_for_organisation,
)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the web server saw it.

    Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. uWSGI/gunicorn with the
    proxy's real-IP module); X-Forwarded-For is not trusted here, since anyone can send it.
    """
    return request.META.get("REMOTE_ADDR") or None


def _superiors(batch: PublicityBatch) -> list[dict[str, str]]:
    seen: dict[int, dict[str, str]] = {}
    for entry in batch.entries.all():
        if entry.superior_id not in seen:
            seen[entry.superior_id] = {
                "name": entry.superior.name,
                "contact": organisation_complaint_contact(entry.superior),
            }
    return list(seen.values())


# -- the unit's pages ----------------------------------------------------------------------


@login_required
def publicity_list(request: HttpRequest) -> HttpResponse:
    """The unit's batches, its candidates waiting for publicity, and the publish form."""
    organisation = request.user.administered_organisation
    candidates = publicity_candidates_for_organisation(organisation)
    return render(
        request,
        "review/publicity_list.html",
        {
            "organisation": organisation,
            "batches": publicity_batch_list_for_user(request.user)[:100],
            "candidates": candidates,
            "form": PublicityPublishForm(candidates=candidates),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def publicity_publish(request: HttpRequest) -> HttpResponse:
    """Publish the chosen candidates for publicity (R6.3)."""
    organisation = request.user.administered_organisation
    candidates = publicity_candidates_for_organisation(organisation)
    form = PublicityPublishForm(request.POST, candidates=candidates)
    if form.is_valid():
        data = form.cleaned_data
        try:
            batch = publicity_batch_publish(
                actor=request.user,
                declarations=list(data["declarations"]),
                working_days=data["working_days"],
                offline_location=data["offline_location"],
                unit_contact=data["unit_contact"],
            )
        except ServiceError as exc:
            if not add_service_error(form, exc):
                form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("公示已发布，公示期：%(period)s。") % {"period": period_label(batch)},
            )
            return redirect("review:publicity_detail", pk=batch.pk)
    return render(
        request,
        "review/publicity_list.html",
        {
            "organisation": organisation,
            "batches": publicity_batch_list_for_user(request.user)[:100],
            "candidates": candidates,
            "form": form,
            "now": timezone.now(),
        },
        status=400,
    )


@login_required
def publicity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: its candidates, their status, complaints, and forms to record outcomes."""
    batch = publicity_batch_get_for_user(request.user, pk)
    return render(
        request,
        "review/publicity_detail.html",
        {
            "batch": batch,
            "period": period_label(batch),
            "superiors": _superiors(batch),
            "resolve_form": ComplaintResolveForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def complaint_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the outcome of one complaint (R6.3, R7.6)."""
    complaint = complaint_get_for_user(request.user, pk)
    form = ComplaintResolveForm(request.POST)
    batch_pk = complaint.entry.batch_id
    if form.is_valid():
        try:
            result = complaint_resolve(
                complaint=complaint,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                resolution=form.cleaned_data["resolution"],
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已记录核查结论：%(outcome)s。") % {"outcome": result.get_outcome_display()},
            )
    else:
        messages.error(request, _("请选择核查结论并填写核查意见。"))
    return redirect("review:publicity_detail", pk=batch_pk)


# -- the public pages ----------------------------------------------------------------------


PUBLIC_BOARD_SIZE = 200
PUBLIC_BOARD_MAX_SECONDS = 3600


def _board_valid_until(now: datetime.datetime, shown: list[PublicityBatch]) -> datetime.datetime:
    """When the board changes by itself: the first shown period ends or a later one starts."""
    moments = [b.ends_at for b in shown]
    upcoming = (
        PublicityBatch.objects.filter(starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )
    moments.extend(upcoming[:1])
    return min([*moments, now + datetime.timedelta(seconds=PUBLIC_BOARD_MAX_SECONDS)])


def public_list(request: HttpRequest) -> HttpResponse:
    """The notice board: every batch whose period is running now.

    Rendering a full board (200 rows) costs several times the rest of the page, and the
    board is the same for every visitor, so it is kept in the cache per language, with
    the moment it changes by itself (a period ending or starting) and the version of the
    data it shows: saving or deleting any batch or organisation bumps the version
    (``public_board_changed``, connected in ``review.apps``). A cached board costs one
    cache round trip and no query (docs/benchmarks.md).
    """
    now = timezone.now()
    batches = SimpleLazyObject(
        lambda: [(b, period_label(b)) for b in publicity_batch_list_public(now)[:PUBLIC_BOARD_SIZE]]
    )
    key = BOARD_KEY.format(language=get_language())
    found = cache.get_many([key, BOARD_VERSION_KEY])
    version = found.get(BOARD_VERSION_KEY, 0)
    cached = found.get(key)
    if cached is not None and cached[0] == version and now < cached[1]:
        board = cached[2]
    else:
        board = render_to_string("public/_publicity_board.html", {"batches": batches})
        valid_until = _board_valid_until(now, [b for b, _period in batches])
        cache.set(key, (version, valid_until, board), PUBLIC_BOARD_MAX_SECONDS)
    return render(
        request,
        "public/publicity_list.html",
        {"batches": batches, "board": mark_safe(board)},  # noqa: S308
    )


def _public_context(batch: PublicityBatch, form: ComplaintForm) -> dict[str, object]:
    now = timezone.now()
    return {
        "batch": batch,
        "period": period_label(batch),
        "superiors": _superiors(batch),
        "is_open": batch.starts_at <= now < batch.ends_at,
        "form": form,
    }


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch's candidates, period and complaint contacts, and the complaint form."""
    batch = publicity_batch_get_public(pk)
    entries = list(batch.entries.all())
    if request.method != "POST":
        return render(
            request, "public/publicity_detail.html", _public_context(batch, ComplaintForm(entries=entries))
        )
    form = ComplaintForm(request.POST, entries=entries)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        entry = next(e for e in entries if e.pk == data["entry"])
        try:
            complaint_file(
                entry=entry,
                text=data["text"],
                name=data["name"],
                contact=data["contact"],
                ip_address=client_ip(request),
            )
        except ServiceError as exc:
            status = exc.status_code
            if not add_service_error(form, exc):
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("投诉已收到，公示单位及其上级主管部门将予以核查。"))
            return redirect("public:publicity_detail", pk=batch.pk)
    return render(request, "public/publicity_detail.html", _public_context(batch, form), status=status)


def public_entry_pdf(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """The printable 《重庆市职称申报综合情况(公示)表》 of one candidate (R6.3)."""
    batch = publicity_batch_get_public(pk)
    entry = next((e for e in batch.entries.all() if e.pk == entry_pk), None)
    if entry is None:
        raise Http404
    response = HttpResponse(publicity_form_pdf(entry), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="publicity-{batch.pk}-{entry.pk}.pdf"'
    return response
