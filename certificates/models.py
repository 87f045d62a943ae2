"""Printed documents of a confirmed declaration: the review form (R8.4) and the
electronic certificate (R8.7), each a sealed PDF in storage with its checksum, and a
meeting's document batch with its progress (docs/certificates.md).

Rows are written only by ``certificates.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certificates.enums import BatchKind, BatchState, CertificateStatus
from declarations.enums import Field, Level


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    return f"certificates/{instance.declaration_id}/{uuid.uuid4().hex}.pdf"


def review_form_upload_to(instance: ReviewForm, filename: str) -> str:
    return f"review_forms/{instance.declaration_id}/{uuid.uuid4().hex}.pdf"


class CertificateSerial(models.Model):
    """The last serial given for one year and level; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("级别"), max_length=32, choices=Level.choices)
    last = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("证书编号序列")
        verbose_name_plural = _("证书编号序列")
        constraints = [models.UniqueConstraint(fields=["year", "level"], name="certificate_serial_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.level} {self.last}"


class Certificate(models.Model):
    """The electronic title certificate of one confirmed declaration (R8.7).

    The number and token are reserved first; the sealed PDF is stored once, afterwards
    (``stored_at`` set). Printed facts are copied here at that moment, so the page that
    verifies the certificate shows what the PDF says even if a source row changes later.
    """

    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name=_("职称申报"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    token = models.CharField(_("核验码"), max_length=64, unique=True, editable=False)
    holder_name = models.CharField(_("持证人"), max_length=50)
    holder_id_masked = models.CharField(_("身份证号码（脱敏）"), max_length=18)
    field = models.CharField(_("专业"), max_length=32, choices=Field.choices)
    level = models.CharField(_("级别"), max_length=32, choices=Level.choices)
    qualification = models.CharField(_("资格名称"), max_length=100)
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name=_("评审委员会"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    review_organisation = models.CharField(_("评审组织"), max_length=200)
    sealing_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("发证（用印）机构"),
        on_delete=models.PROTECT,
        related_name="sealed_certificates",
    )
    issuing_organisation_name = models.CharField(_("发证机构名称"), max_length=200)
    approval_document_number = models.CharField(_("批准文号"), max_length=100)
    obtained_on = models.DateField(_("取得资格时间"))
    issued_on = models.DateField(_("发证日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.TextField(_("撤销理由"), blank=True)
    file = models.FileField(_("文件"), upload_to=certificate_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256校验值"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    reserved_at = models.DateTimeField(_("编号时间"))
    stored_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("电子证书")
        verbose_name_plural = _("电子证书")
        ordering = ["-reserved_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.VALID)
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="certificate_revoked_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", args=[self.pk])

    @property
    def is_stored(self) -> bool:
        return self.stored_at is not None and bool(self.file)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    def verification_path(self) -> str:
        return reverse("verify:certificate", args=[self.token])


class ReviewForm(models.Model):
    """The sealed review form (评审表) of one confirmed declaration (R8.4).

    Its result page carries the electronic seals of the committee and of the sealing
    organisation (the approval body, or the host for a self-filed or entrusted review);
    the other pages are left for hand stamps.
    """

    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name=_("职称申报"),
        on_delete=models.PROTECT,
        related_name="review_form",
    )
    file = models.FileField(_("文件"), upload_to=review_form_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256校验值"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    pages = models.PositiveSmallIntegerField(_("页数"), default=0)
    created_at = models.DateTimeField(_("生成时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评审表")
        verbose_name_plural = _("评审表")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.declaration_id} {self.sha256[:12]}"


class DocumentBatch(models.Model):
    """Rendering the documents of a meeting's confirmed declarations, with its progress."""

    meeting = models.ForeignKey(
        "committees.Meeting",
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        related_name="document_batches",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=BatchKind.choices, default=BatchKind.DOCUMENTS)
    declaration_ids = models.JSONField(_("申报"), default=list)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    skipped = models.PositiveIntegerField(
        _("已存在（跳过）"), default=0, help_text=_("此前已生成的文件，不重复生成。")
    )
    failed = models.PositiveIntegerField(_("失败"), default=0)
    results = models.JSONField(
        _("处理结果"), default=dict, blank=True, help_text=_("申报编号 → done / skipped / failed。")
    )
    errors = models.JSONField(_("失败原因"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=BatchState.choices, default=BatchState.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量生成")
        verbose_name_plural = _("批量生成")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One batch of a kind runs per meeting at a time.
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                condition=Q(state=BatchState.RUNNING),
                name="document_batch_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.get_kind_display()} {self.processed}/{self.total}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:batch", args=[self.pk])

    @property
    def processed(self) -> int:
        return self.done + self.skipped + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)
