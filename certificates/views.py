"""Pages of the certificates app: holders' downloads, staff pages with the batch and its
progress, revocation, and the public verification page and lookup (no login).

Views look up through a selector (404 outside the person's scope), validate a form and
call one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import selectors as sel
from certificates.enums import BatchState, CertificateStatus
from certificates.forms import BatchStartForm, LookupForm, RevokeForm
from certificates.models import Certificate, DocumentBatch, ReviewForm
from certificates.rules import may_issue, may_revoke
from certificates.services import (
    certificate_revoke,
    declaration_documents_issue,
    document_batch_start,
)
from core.exceptions import ServiceError
from core.forms import add_service_error
from core.throttle import throttle_count

# Lookups by number and name per client address and window (Django's cache, shared by
# every process): enough for a person, too few to try names.
LOOKUP_LIMIT = 20
LOOKUP_WINDOW_SECONDS = 10 * 60


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def lookup_throttled(ip_address: str) -> bool:
    """Count one lookup from ``ip_address``; say whether it is over the limit."""
    count = throttle_count(f"certificates:lookup:{ip_address}", window_seconds=LOOKUP_WINDOW_SECONDS)
    return count > LOOKUP_LIMIT


def pdf_response(file_field, filename: str) -> FileResponse:  # type: ignore[no-untyped-def]
    response = FileResponse(
        file_field.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_file_response(certificate: Certificate) -> FileResponse:
    return pdf_response(certificate.file, f"certificate-{certificate.number}.pdf")


def review_form_file_response(form: ReviewForm) -> FileResponse:
    return pdf_response(form.file, f"review-form-{form.declaration_id}.pdf")


def holder_may_download(user, certificate: Certificate) -> bool:  # type: ignore[no-untyped-def]
    """A revoked certificate is no longer handed to its holder; staff still may open it."""
    is_holder = certificate.declaration.applicant_id == user.pk
    return not (
        is_holder and certificate.status == CertificateStatus.REVOKED and not _is_staff(user, certificate)
    )


def _is_staff(user, certificate: Certificate) -> bool:  # type: ignore[no-untyped-def]
    org = user.administered_organisation
    return user.is_superuser or (
        org is not None
        and org.pk
        in {
            certificate.committee.host_id,
            certificate.committee.approval_body_id,
            certificate.sealing_organisation_id,
        }
    )


# -- the public verification page -----------------------------------------------------------


def verify_certificate(request: HttpRequest, token: str) -> HttpResponse:
    """What the QR code opens: valid or revoked, with the printed facts but no full ID number."""
    certificate = sel.certificate_get_public(token)
    response = render(request, "certificates/verify.html", {"c": certificate})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Look a certificate up by its number and the holder's name, both exact."""
    form = LookupForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        if lookup_throttled(_client_ip(request)):
            form.add_error(None, _("查询过于频繁，请稍后再试。"))
            status = 429
        else:
            found = sel.certificate_lookup(number=form.cleaned_data["number"], name=form.cleaned_data["name"])
            if found is not None:
                return redirect("verify:certificate", token=found.token)
            form.add_error(None, _("未查到与该证书编号和姓名相符的证书。请核对后重试。"))
            status = 404
    response = render(request, "certificates/lookup.html", {"form": form}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


# -- holders and staff ----------------------------------------------------------------------


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Certificates the person holds or their organisation's committees issued, and meetings."""
    certificates = sel.certificate_list_for_user(request.user).filter(stored_at__isnull=False)
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(number__icontains=query) | certificates.filter(
            holder_name__icontains=query
        )
    return render(
        request,
        "certificates/list.html",
        {
            "certificates": certificates.order_by("-stored_at", "-pk")[:200],
            "meetings": sel.document_meeting_list_for_user(request.user).order_by("-scheduled_at")[:50],
            "query": query,
        },
    )


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get_for_user(request.user, pk)
    return render(
        request,
        "certificates/detail.html",
        {
            "c": certificate,
            "may_revoke": may_revoke(request.user, certificate)
            and certificate.is_valid
            and certificate.is_stored,
            "may_download": certificate.is_stored and holder_may_download(request.user, certificate),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get_for_user(request.user, pk)
    if not certificate.is_stored:
        messages.error(request, _("证书尚未生成。"))
        return redirect(certificate)
    if not holder_may_download(request.user, certificate):
        messages.error(request, _("该证书已撤销，不再提供下载。"))
        return redirect(certificate)
    return certificate_file_response(certificate)


@login_required
@require_POST
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get_for_user(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            if not add_service_error(form, exc):
                messages.error(request, exc.message)
                return redirect(certificate)
        else:
            messages.success(request, _("证书 %(number)s 已撤销。") % {"number": certificate.number})
            return redirect(certificate)
    return render(
        request,
        "certificates/detail.html",
        {"c": certificate, "may_revoke": True, "may_download": True, "revoke_form": form},
        status=400,
    )


@login_required
def review_form_download(request: HttpRequest, pk: int) -> HttpResponse:
    return review_form_file_response(sel.review_form_get_for_user(request.user, pk))


def declaration_documents_context(user, declaration) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the holder's (or staff's) downloads box shows for one declaration."""
    certificate = Certificate.objects.filter(declaration=declaration, stored_at__isnull=False).first()
    return {
        "declaration": declaration,
        "review_form": ReviewForm.objects.filter(declaration=declaration).first(),
        "certificate": certificate,
        "certificate_downloadable": certificate is not None and holder_may_download(user, certificate),
    }


@login_required
def declaration_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """A declaration's review form and certificate: the holder's downloads (R8.4, R8.7)."""
    declaration = sel.documents_declaration_get_for_user(request.user, pk)
    context = declaration_documents_context(request.user, declaration)
    candidate = getattr(declaration, "meeting_candidate", None)
    context["may_issue"] = (
        candidate is not None
        and may_issue(request.user, candidate.meeting.committee, None)
        and declaration.state in ("confirmed", "certified")
    )
    return render(request, "certificates/declaration.html", context)


@login_required
@require_POST
def declaration_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff render one declaration's documents now."""
    declaration = sel.documents_declaration_get_for_user(request.user, pk)
    try:
        outcome = declaration_documents_issue(declaration=declaration, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("评审表和电子证书已生成。") if outcome.created else _("评审表和电子证书此前已生成。"),
        )
    return redirect("certificates:declaration", pk=declaration.pk)


@login_required
def meeting_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's candidates with their documents, the batch form and the latest batches."""
    meeting = sel.document_meeting_get_for_user(request.user, pk)
    return render(
        request,
        "certificates/meeting.html",
        {
            "meeting": meeting,
            "rows": sel.meeting_document_rows(meeting),
            "batches": DocumentBatch.objects.filter(meeting=meeting).order_by("-started_at", "-pk")[:10],
            "form": BatchStartForm(),
        },
    )


@login_required
@require_POST
def batch_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = sel.document_meeting_get_for_user(request.user, pk)
    form = BatchStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择生成内容。"))
        return redirect("certificates:meeting", pk=meeting.pk)
    try:
        batch = document_batch_start(meeting=meeting, actor=request.user, kind=form.cleaned_data["kind"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("certificates:meeting", pk=meeting.pk)
    return redirect(batch)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = sel.document_batch_get_for_user(request.user, pk)
    return render(
        request, "certificates/batch.html", {"batch": batch, "polling": batch.state == BatchState.RUNNING}
    )


@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the batch page polls (htmx), until the batch finishes."""
    batch = sel.document_batch_get_for_user(request.user, pk)
    response = render(
        request,
        "certificates/_batch_progress.html",
        {"batch": batch, "polling": batch.state == BatchState.RUNNING},
    )
    response["Cache-Control"] = "no-store"
    return response
