"""Every write of the certificates app: issuing the review form (R8.4) and the
electronic certificate (R8.7) of a confirmed declaration, revoking a certificate, and a
meeting's document batch (docs/certificates.md).

Rendering and sealing take a second or two and run outside any transaction; the row is
written once, in a short transaction under the declaration's (or certificate's) lock,
so a second worker that rendered the same document in parallel finds it stored and
throws its copy away. Each service is idempotent: it returns what is already stored.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.documents import (
    CERTIFICATE_SEAL_BOX,
    REVIEW_FORM_COMMITTEE_SEAL_BOX,
    REVIEW_FORM_SEALING_SEAL_BOX,
    certificate_pdf,
    masked_id,
    pdf_page_count,
    review_form_data,
    review_form_pdf,
)
from certificates.enums import BatchKind, BatchState, CertificateStatus
from certificates.models import Certificate, DocumentBatch, ReviewForm
from certificates.numbers import number_reserve
from certificates.qr import absolute_url
from certificates.rules import may_issue, may_revoke
from committees.models import Meeting, MeetingCandidate
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.notifications import notify
from core.services import audit_record
from declarations.enums import State
from declarations.models import Declaration
from declarations.services import declaration_transition

logger = logging.getLogger(__name__)

REVOKE_REASON_MAX = 1000
# States in which a declaration's documents may be issued (or are issued already).
ISSUABLE_STATES = (State.CONFIRMED, State.CERTIFIED)


def _facts(declaration: Declaration):  # type: ignore[no-untyped-def]
    from committees.outcomes import confirmation_facts

    return confirmation_facts(declaration)


def _refuse_unless_issuable(declaration: Declaration) -> None:
    if declaration.state not in ISSUABLE_STATES:
        raise TransitionNotAllowed(
            "not_confirmed",
            _("评审结果核准后才能生成评审表和电子证书（R8.2、R8.4）；当前状态为“%(state)s”。")
            % {"state": declaration.get_state_display()},
        )


def _refuse_unless_may_issue(actor: User | None, facts) -> None:  # type: ignore[no-untyped-def]
    # ``actor=None`` is the system (the sweep); a person must administer an organisation
    # of the review.
    if actor is not None and not may_issue(actor, facts.committee, facts.sealing_organisation):
        raise PermissionRefused(
            "not_issuer",
            _("只有评委会组建单位、核准机构或用印机构的职称管理员可以生成评审表和电子证书。"),
        )


def _seal(pdf: bytes, placements: list) -> bytes:  # type: ignore[type-arg]
    from certificates.seals import pdf_seal

    return pdf_seal(pdf, placements)


# --- the review form (R8.4) ----------------------------------------------------------------


def review_form_render(declaration: Declaration, facts, *, certificate_number: str = "") -> bytes:  # type: ignore[no-untyped-def]
    """Render the review form and seal its result page (the last) as the committee and as
    the sealing organisation (R8.4). Writes nothing."""
    from certificates.seals import SealPlacement, seal_identity_for_committee, seal_identity_for_organisation

    pdf = review_form_pdf(review_form_data(declaration, facts, certificate_number=certificate_number))
    return _seal(
        pdf,
        [
            SealPlacement(
                identity=seal_identity_for_committee(facts.committee),
                page=-1,
                box=REVIEW_FORM_COMMITTEE_SEAL_BOX,
                field_name="committee_seal",
                reason="评审结果（R7.4、R8.4）",
            ),
            SealPlacement(
                identity=seal_identity_for_organisation(facts.sealing_organisation),
                page=-1,
                box=REVIEW_FORM_SEALING_SEAL_BOX,
                field_name="approval_seal",
                reason=f"核准 {facts.document_number}（R8.2、R8.4）",
            ),
        ],
    )


def review_form_issue(
    *, declaration: Declaration, actor: User | None, now: datetime.datetime | None = None
) -> tuple[ReviewForm, bool]:
    """Render, seal and store the review form of a confirmed declaration once (R8.4).

    Returns ``(form, created)``; an existing form is returned unchanged.
    """
    existing = ReviewForm.objects.filter(declaration_id=declaration.pk).first()
    if existing is not None:
        return existing, False
    declaration = Declaration.objects.select_related("applicant", "unit", "campaign").get(pk=declaration.pk)
    _refuse_unless_issuable(declaration)
    facts = _facts(declaration)
    _refuse_unless_may_issue(actor, facts)
    now = now or timezone.now()
    # The result page prints the certificate's number (R8.2): reserve it now if needed.
    certificate = Certificate.objects.filter(declaration_id=declaration.pk).first() or _certificate_reserve(
        declaration, facts, actor, now
    )
    data = review_form_render(declaration, facts, certificate_number=certificate.number)
    with transaction.atomic():
        Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
        existing = ReviewForm.objects.filter(declaration_id=declaration.pk).first()
        if existing is not None:
            return existing, False
        form = ReviewForm(
            declaration=declaration,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            pages=pdf_page_count(data),
            created_at=now,
            created_by=actor,
        )
        form.file.save("review-form.pdf", ContentFile(data), save=False)
        form.save()
        audit_record(
            actor=actor,
            obj=form,
            action="review_form_issue",
            data={"declaration": declaration.pk, "sha256": form.sha256, "rules": ["R8.4"]},
        )
        notify(
            recipients=[declaration.applicant],
            kind="review_form_issued",
            title=_("您的职称评审表已生成，可下载打印"),
            body=_("请在核准通知印发后一个月内下载打印评审表，一份存入个人档案，一份存入单位档案（R8.4）。"),
            url=declaration.get_absolute_url(),
        )
    return form, True


# --- the electronic certificate (R8.7) -----------------------------------------------------


def _qualification(declaration: Declaration) -> str:
    """The title's name as the certificate prints it (资格名称), always in Chinese."""
    from django.utils import translation

    from certificates.documents import DOCUMENT_LANGUAGE

    with translation.override(DOCUMENT_LANGUAGE):
        return str(declaration.get_level_display())


def _certificate_reserve(declaration: Declaration, facts, actor: User | None, now) -> Certificate:  # type: ignore[no-untyped-def]
    """Create the certificate row with its number, token and printed facts, once."""
    import secrets

    with transaction.atomic():
        locked = (
            Declaration.objects.select_for_update()
            .select_related("applicant", "campaign")
            .get(pk=declaration.pk)
        )
        existing = Certificate.objects.filter(declaration_id=locked.pk).first()
        if existing is not None:
            return existing
        if locked.state != State.CONFIRMED:
            _refuse_unless_issuable(locked)
            raise TransitionNotAllowed(
                "certificate_missing", _("该申报已发证，但证书记录缺失，请联系职称办。")
            )
        applicant = locked.applicant
        return Certificate.objects.create(
            declaration=locked,
            number=number_reserve(year=locked.campaign.year, level=locked.level),
            token=secrets.token_urlsafe(24),
            holder_name=applicant.real_name,
            holder_id_masked=masked_id(applicant.id_number or ""),
            field=locked.field,
            level=locked.level,
            qualification=_qualification(locked),
            committee=facts.committee,
            review_organisation=facts.committee.name,
            sealing_organisation=facts.sealing_organisation,
            issuing_organisation_name=facts.sealing_organisation.name,
            approval_document_number=facts.document_number,
            obtained_on=facts.passed_on,
            issued_on=facts.confirmed_on,
            reserved_at=now,
            issued_by=actor,
        )


def certificate_verification_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page (its QR code)."""
    return absolute_url(certificate.verification_path())


def certificate_render(certificate: Certificate) -> bytes:
    """Render the certificate and seal it as the sealing organisation. Writes nothing."""
    from certificates.seals import SealPlacement, seal_identity_for_organisation

    pdf = certificate_pdf(certificate, verification_url=certificate_verification_url(certificate))
    return _seal(
        pdf,
        [
            SealPlacement(
                identity=seal_identity_for_organisation(certificate.sealing_organisation),
                page=0,
                box=CERTIFICATE_SEAL_BOX,
                field_name="issuer_seal",
                reason=f"电子证书 {certificate.number}（R8.7）",
            )
        ],
    )


def certificate_issue(
    *, declaration: Declaration, actor: User | None, now: datetime.datetime | None = None
) -> tuple[Certificate, bool]:
    """Issue the electronic certificate of a confirmed declaration once (R8.7).

    In order: reserve the number and copy the printed facts (short transaction); render
    and seal the PDF (no transaction); store it, move the declaration ``confirmed ->
    certified`` (one audit row) and tell the holder (one transaction under the
    certificate's lock). A certificate already stored is returned with ``created=False``;
    one reserved but not stored (a failed render) is rendered again with the same number.
    """
    now = now or timezone.now()
    existing = Certificate.objects.filter(declaration_id=declaration.pk).first()
    if existing is not None and existing.is_stored:
        return existing, False
    declaration = Declaration.objects.select_related("applicant", "campaign").get(pk=declaration.pk)
    _refuse_unless_issuable(declaration)
    facts = _facts(declaration)
    _refuse_unless_may_issue(actor, facts)
    certificate = existing or _certificate_reserve(declaration, facts, actor, now)
    certificate = Certificate.objects.select_related("sealing_organisation", "committee").get(
        pk=certificate.pk
    )
    if certificate.is_stored:
        return certificate, False
    data = certificate_render(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_stored:
            return locked, False
        locked.sha256 = hashlib.sha256(data).hexdigest()
        locked.size = len(data)
        locked.stored_at = now
        locked.file.save("certificate.pdf", ContentFile(data), save=False)
        locked.save(update_fields=["file", "sha256", "size", "stored_at"])
        audit_record(
            actor=actor,
            obj=locked,
            action="certificate_issue",
            data={"number": locked.number, "sha256": locked.sha256, "rules": ["R8.7"]},
        )
        declaration_transition(
            declaration=declaration,
            name="certify",
            actor=actor,
            data={"certificate": locked.number},
            now=now,
        )
        notify(
            recipients=[declaration.applicant],
            kind="certificate_issued",
            title=_("您的电子职称证书已颁发：%(number)s") % {"number": locked.number},
            body=_("电子证书可在申报详情页下载打印（R8.7）；证书上的二维码可供他人核验真伪。"),
            url=declaration.get_absolute_url(),
        )
    return locked, True


@dataclass(frozen=True)
class IssueOutcome:
    review_form: ReviewForm | None
    certificate: Certificate | None
    created: bool  # whether anything was rendered now


def declaration_documents_issue(
    *,
    declaration: Declaration,
    actor: User | None,
    kind: str = BatchKind.DOCUMENTS,
    now: datetime.datetime | None = None,
) -> IssueOutcome:
    """Issue the review form and (unless ``kind`` is review forms only) the certificate."""
    form, form_created = review_form_issue(declaration=declaration, actor=actor, now=now)
    if kind == BatchKind.REVIEW_FORMS:
        return IssueOutcome(form, None, form_created)
    certificate, cert_created = certificate_issue(declaration=declaration, actor=actor, now=now)
    return IssueOutcome(form, certificate, form_created or cert_created)


# --- revocation ----------------------------------------------------------------------------


def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str, now: datetime.datetime | None = None
) -> Certificate:
    """Revoke a certificate (e.g. fraud found after issue): the verification page then
    says so. The approval body (or sealing organisation) or the title office; a reason is
    required; audited; the holder is told. The number is never given again."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("撤销证书须写明理由。"), field="reason")
    if len(reason) > REVOKE_REASON_MAX:
        raise ServiceError("reason_too_long", _("撤销理由过长。"), field="reason")
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("committee", "declaration__applicant")
            .get(pk=certificate.pk)
        )
        if not may_revoke(actor, locked):
            raise PermissionRefused("not_revoker", _("只有核准（发证）机构或职称办可以撤销电子证书。"))
        if locked.status == CertificateStatus.REVOKED:
            raise TransitionNotAllowed("already_revoked", _("该证书已撤销。"))
        if not locked.is_stored:
            raise TransitionNotAllowed("not_issued", _("该证书尚未生成，无需撤销。"))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = now or timezone.now()
        locked.revoked_by = actor
        locked.revoke_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        audit_record(
            actor=actor,
            obj=locked,
            action="certificate_revoke",
            from_state=CertificateStatus.VALID,
            to_state=CertificateStatus.REVOKED,
            reason=reason,
            data={"number": locked.number},
        )
        notify(
            recipients=[locked.declaration.applicant],
            kind="certificate_revoked",
            title=_("您的电子职称证书 %(number)s 已被撤销") % {"number": locked.number},
            body=_("撤销理由：%(reason)s") % {"reason": reason},
            url=locked.declaration.get_absolute_url(),
        )
        return locked


# --- a meeting's batch ---------------------------------------------------------------------


def meeting_issuable_declaration_ids(meeting: Meeting) -> list[int]:
    """The meeting's declarations that are confirmed or certified, in the meeting's order."""
    return list(
        MeetingCandidate.objects.filter(meeting=meeting, declaration__state__in=ISSUABLE_STATES)
        .order_by("position", "pk")
        .values_list("declaration_id", flat=True)
    )


def _enqueue(batch_id: int, declaration_ids: Iterable[int]) -> None:
    from certificates.tasks import document_batch_item

    for pk in declaration_ids:
        try:
            document_batch_item.delay(batch_id, pk)
        except Exception:  # noqa: BLE001 - a broker outage must not fail the request;
            # the batch page offers to resume, which queues what is still missing.
            logger.warning("broker unavailable; batch %s item %s left for resume", batch_id, pk)
            return


def document_batch_start(
    *,
    meeting: Meeting,
    actor: User,
    kind: str = BatchKind.DOCUMENTS,
    now: datetime.datetime | None = None,
) -> DocumentBatch:
    """Start rendering the documents of every confirmed declaration of a meeting.

    One batch of a kind runs per meeting at a time: while one runs, it is returned (and
    what it has not processed yet is queued again, so a batch the broker lost resumes).
    Each declaration is one Celery task (``certificates.tasks.document_batch_item``);
    a declaration whose documents are already stored counts as skipped.
    """
    if kind not in BatchKind.values:
        raise ServiceError("kind_invalid", _("请选择生成内容。"), field="kind")
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        )
        committee = locked.committee
        if not may_issue(actor, committee, None):
            raise PermissionRefused(
                "not_issuer", _("只有评委会组建单位或核准机构的职称管理员可以批量生成评审表和电子证书。")
            )
        running = DocumentBatch.objects.filter(meeting=locked, kind=kind, state=BatchState.RUNNING).first()
        if running is not None:
            remaining = [pk for pk in running.declaration_ids if str(pk) not in running.results]
            transaction.on_commit(lambda: _enqueue(running.pk, remaining))
            return running
        ids = meeting_issuable_declaration_ids(locked)
        if not ids:
            raise TransitionNotAllowed(
                "nothing_to_issue", _("该会议没有已核准的申报，无可生成的评审表或证书（R8.2）。")
            )
        batch = DocumentBatch.objects.create(
            meeting=locked,
            kind=kind,
            declaration_ids=ids,
            total=len(ids),
            started_by=actor,
            started_at=now,
        )
        audit_record(actor=actor, obj=batch, action="document_batch_start", data={"total": len(ids)})
        transaction.on_commit(lambda: _enqueue(batch.pk, ids))
        return batch


def document_batch_item_run(*, batch_id: int, declaration_id: int) -> str:
    """Issue one declaration's documents for a batch and count it: ``done``, ``skipped``
    or ``failed``. Running it again for the same item changes nothing."""
    batch = DocumentBatch.objects.select_related("started_by").get(pk=batch_id)
    if str(declaration_id) in batch.results or declaration_id not in batch.declaration_ids:
        return batch.results.get(str(declaration_id), "")
    error = ""
    try:
        declaration = Declaration.objects.get(pk=declaration_id)
        outcome = declaration_documents_issue(
            declaration=declaration, actor=batch.started_by, kind=batch.kind
        )
        result = "done" if outcome.created else "skipped"
    except ServiceError as exc:
        result, error = "failed", str(exc.message)
    except Exception as exc:  # noqa: BLE001 - one document must not stop the batch;
        # the error is logged and shown on the batch page.
        logger.exception("batch %s: declaration %s failed", batch_id, declaration_id)
        result, error = "failed", f"{type(exc).__name__}: {exc}"[:300]
    with transaction.atomic():
        locked = DocumentBatch.objects.select_for_update().get(pk=batch_id)
        if str(declaration_id) in locked.results:
            return locked.results[str(declaration_id)]
        locked.results = {**locked.results, str(declaration_id): result}
        fields = ["results"]
        if result == "failed":
            locked.errors = {**locked.errors, str(declaration_id): error}
            locked.failed = F("failed") + 1
            fields += ["errors", "failed"]
        else:
            setattr(locked, result, F(result) + 1)
            fields.append(result)
        if len(locked.results) >= locked.total:
            locked.state = BatchState.FINISHED
            locked.finished_at = timezone.now()
            fields += ["state", "finished_at"]
        locked.save(update_fields=fields)
    return result
