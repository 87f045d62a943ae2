"""Reads of the certificates app, scoped by who asks; outside the scope is 404, never 403."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from certificates.models import Certificate, DocumentBatch, ReviewForm
from certificates.numbers import normalise_number
from committees.models import Meeting
from declarations.models import Declaration


def _org_id(user: User) -> int | None:
    if not user.is_authenticated:
        return None
    org = user.administered_organisation
    return org.pk if org is not None else None


def _staff_scope(user: User, prefix: str) -> Q:
    """Documents of a committee the person's organisation hosts, approves or seals for."""
    org_id = _org_id(user)
    if org_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}committee__host_id": org_id}) | Q(
        **{f"{prefix}committee__approval_body_id": org_id}
    )


def certificate_list_for_user(user: User) -> QuerySet[Certificate]:
    """Certificates the person holds, or that their organisation's committees issued."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    condition = Q(declaration__applicant=user)
    if user.is_superuser:
        condition = Q()
    org_id = _org_id(user)
    if org_id is not None:
        condition |= _staff_scope(user, "") | Q(sealing_organisation_id=org_id)
    return Certificate.objects.filter(condition).select_related(
        "declaration__applicant", "committee", "sealing_organisation"
    )


def certificate_get_for_user(user: User, pk: int | str) -> Certificate:
    try:
        return certificate_list_for_user(user).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def certificate_get_public(token: str) -> Certificate:
    """A stored certificate by its verification token (the QR code); 404 otherwise."""
    try:
        return Certificate.objects.select_related("sealing_organisation").get(
            token=token, stored_at__isnull=False
        )
    except Certificate.DoesNotExist:
        raise Http404 from None


def certificate_lookup(*, number: str, name: str) -> Certificate | None:
    """A stored certificate whose number and holder's name both match exactly."""
    number, name = normalise_number(number), "".join((name or "").split())
    if not number or not name:
        return None
    return Certificate.objects.filter(number=number, holder_name=name, stored_at__isnull=False).first()


def documents_declaration_get_for_user(user: User, pk: int | str) -> Declaration:
    """A declaration whose documents the person may see: its applicant, or staff of the
    committee's host or approval body (through the meeting it was reviewed at)."""
    if not user.is_authenticated:
        raise Http404
    condition = Q(applicant=user)
    org_id = _org_id(user)
    if org_id is not None:
        condition |= Q(meeting_candidate__meeting__committee__host_id=org_id) | Q(
            meeting_candidate__meeting__committee__approval_body_id=org_id
        )
    if user.is_superuser:
        condition = Q()
    try:
        return (
            Declaration.objects.filter(condition)
            .select_related("applicant", "campaign")
            .distinct()
            .get(pk=pk)
        )
    except (Declaration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def review_form_get_for_user(user: User, pk: int | str) -> ReviewForm:
    try:
        form = ReviewForm.objects.select_related("declaration").get(pk=pk)
    except (ReviewForm.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    documents_declaration_get_for_user(user, form.declaration_id)
    return form


def document_meeting_list_for_user(user: User) -> QuerySet[Meeting]:
    """Meetings whose documents the person's organisation may issue (host or approval body)."""
    org_id = _org_id(user)
    if org_id is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(committee__host_id=org_id) | Q(committee__approval_body_id=org_id)
    ).select_related("committee", "campaign")


def document_meeting_get_for_user(user: User, pk: int | str) -> Meeting:
    try:
        return document_meeting_list_for_user(user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def document_batch_get_for_user(user: User, pk: int | str) -> DocumentBatch:
    try:
        return DocumentBatch.objects.select_related("meeting__committee").get(
            pk=pk, meeting__in=document_meeting_list_for_user(user)
        )
    except (DocumentBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def meeting_document_rows(meeting: Meeting) -> list[dict[str, object]]:
    """Each candidate of the meeting with its state and stored documents, for the staff page."""
    from committees.models import MeetingCandidate

    candidates = list(
        MeetingCandidate.objects.filter(meeting=meeting)
        .select_related("declaration__applicant")
        .order_by("position", "pk")
    )
    ids = [c.declaration_id for c in candidates]
    forms = {f.declaration_id: f for f in ReviewForm.objects.filter(declaration_id__in=ids)}
    certs = {c.declaration_id: c for c in Certificate.objects.filter(declaration_id__in=ids)}
    return [
        {
            "declaration": c.declaration,
            "review_form": forms.get(c.declaration_id),
            "certificate": certs.get(c.declaration_id),
        }
        for c in candidates
    ]
