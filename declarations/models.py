"""Campaigns and declarations; every state change is a transition of ``Declaration``."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from accounts.enums import OrgKind
from declarations import enums as de
from declarations.enums import (
    LEVEL_FEE_BAND,
    DeclarationType,
    EducationLevel,
    FeeBand,
    Field,
    Level,
    State,
    TitleBasis,
    TitleSeries,
)
from review.enums import ApplicantCategory

S = State
# Per choice field: value -> (lazy) label, for Declaration._get_FIELD_display.
_CHOICE_LABELS: dict[models.Field, dict[object, object]] = {}


class Campaign(models.Model):
    """One year's call (R8.3): windows, cut-off dates, fees (R8.5) and the committee host."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    committee_host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("评委会组建单位"),
        on_delete=models.PROTECT,
        related_name="hosted_campaigns",
        limit_choices_to={"kind": OrgKind.COMMITTEE_HOST},
    )
    approval_body = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("核准机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_campaigns",
        limit_choices_to={"kind": OrgKind.APPROVAL_BODY},
    )
    filing_opens_at = models.DateTimeField(_("个人申报开始时间"))
    filing_closes_at = models.DateTimeField(_("个人申报截止时间"))
    chain_deadline = models.DateTimeField(
        _("报送评委会截止时间"),
        help_text=_("各级审核机构须在此时间前将审核通过的申报材料报送评委会（R8.3）。"),
    )
    work_years_cutoff = models.DateField(_("任职年限计算截止日期"))
    material_valid_until = models.DateField(_("材料有效截止日期"), null=True, blank=True)
    fee_senior = models.DecimalField(
        _("高级评审费(元)"), max_digits=8, decimal_places=2, default=Decimal("420")
    )
    fee_intermediate = models.DecimalField(
        _("中级评审费(元)"), max_digits=8, decimal_places=2, default=Decimal("240")
    )
    fee_junior = models.DecimalField(
        _("初级评审费(元)"), max_digits=8, decimal_places=2, default=Decimal("120")
    )

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-filing_opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filing_closes_at__gt=F("filing_opens_at")),
                name="campaign_window_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(chain_deadline__gte=F("filing_opens_at")),
                name="campaign_chain_deadline_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def fee_for(self, level: str) -> Decimal:
        """Return the review fee for a level (R8.5)."""
        band = LEVEL_FEE_BAND[Level(level)]
        return {
            FeeBand.SENIOR: self.fee_senior,
            FeeBand.INTERMEDIATE: self.fee_intermediate,
            FeeBand.JUNIOR: self.fee_junior,
        }[band]


class Declaration(models.Model):
    """One applicant's application in one campaign, and where it stands."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="declarations"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    level = models.CharField(_("申报级别"), max_length=32, choices=Level.choices)
    field = models.CharField(_("申报专业领域"), max_length=32, choices=Field.choices)
    declaration_type = models.CharField(
        _("申报类型"),
        max_length=16,
        choices=DeclarationType.choices,
        default=DeclarationType.NORMAL,
    )
    category = models.CharField(_("申报人类别"), max_length=32, choices=ApplicantCategory.choices)
    unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    competent_department = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    personnel_agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("人事代理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district_hr = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("区县人力社保(职改)部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    management_body = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("驻渝最高管理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chain = models.ForeignKey(
        "review.RoutingChain",
        verbose_name=_("申报程序"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declarations",
    )

    state = FSMField(
        _("状态"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True
    )
    current_step = models.PositiveSmallIntegerField(_("当前审核环节"), null=True, blank=True)
    # Denormalised from the route so that a queue is one indexed lookup.
    current_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("当前审核机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queue",
    )
    returned_by_committee = models.BooleanField(_("由评委会退回"), default=False)
    committee_submissions = models.PositiveSmallIntegerField(_("报送评委会次数"), default=0)
    # R6.1, R6.6: set when returned for correction; resubmission from this moment on is
    # refused and the sweep abandons the declaration (review/sweep.py).
    correction_due_at = models.DateTimeField(_("补正截止时间"), null=True, blank=True)
    # One reminder per declaration and calendar day (Asia/Shanghai); see docs/decisions.md.
    last_reminded_on = models.DateField(_("最近催办日期"), null=True, blank=True)
    integrity_signed_at = models.DateTimeField(_("诚信承诺签署时间"), null=True, blank=True)
    integrity_signed_ip = models.GenericIPAddressField(_("诚信承诺签署地址"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职称申报")
        verbose_name_plural = _("职称申报")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["current_organisation", "state", "id"]),
            # A queue page in its order (declarations.selectors.declaration_queue_for_organisation):
            # 50 rows read in index order instead of sorting the whole queue (docs/benchmarks.md).
            models.Index(
                fields=["current_organisation", "state_changed_at", "id"],
                name="declaration_queue_order_idx",
                condition=Q(state__in=["in_review", "unit_publicity", "committee_check"]),
            ),
            models.Index(fields=["applicant", "campaign"]),
            # The sweep's lookup of overdue returns (review/sweep.py).
            models.Index(
                fields=["correction_due_at"],
                name="declaration_return_due_idx",
                condition=Q(state="returned"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.get_level_display()} · {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("declarations:detail", args=[self.pk])

    def _get_FIELD_display(self, field: models.Field) -> str:  # noqa: N802 - Django's name
        """``get_level_display()`` and the like, translating only the label shown.

        Django's version hashes every (lazily translated) choice on each call, which
        translates all of them: 2,500 translations for a 50-row queue page
        (docs/benchmarks.md). Same result.
        """
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)

    @property
    def correction_due_label(self) -> str:
        """The correction deadline as people read it: 24:00 of the last day, Beijing time."""
        if self.correction_due_at is None:
            return ""
        from core.workdays import OFFICE_TZ

        local = self.correction_due_at.astimezone(OFFICE_TZ)
        if local.time() == datetime.time.min:
            return f"{local.date() - datetime.timedelta(days=1):%Y-%m-%d} 24:00"
        return f"{local:%Y-%m-%d %H:%M}"

    @property
    def fee(self) -> Decimal:
        return self.campaign.fee_for(self.level)

    # Transitions: one-line wrappers; ``declarations.services`` is the only caller.
    # The rule each implements is in declarations/workflow.py and docs/workflow.md.

    @transition(field=state, source=S.DRAFT, target=S.IN_REVIEW)
    def submit(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_REVIEW)
    def forward(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.COMMITTEE_CHECK)
    def send_to_committee(self) -> None: ...

    @transition(field=state, source=S.IN_REVIEW, target=S.UNIT_PUBLICITY)
    def start_unit_publicity(self) -> None: ...

    @transition(field=state, source=S.UNIT_PUBLICITY, target=S.IN_REVIEW)
    def end_unit_publicity(self) -> None: ...

    @transition(field=state, source=[S.IN_REVIEW, S.COMMITTEE_CHECK], target=S.RETURNED)
    def return_for_correction(self) -> None: ...

    @transition(field=state, source=S.RETURNED, target=S.IN_REVIEW)
    def resubmit(self) -> None: ...

    @transition(field=state, source=S.RETURNED, target=S.COMMITTEE_CHECK)
    def resubmit_to_committee(self) -> None: ...

    @transition(field=state, source=[S.IN_REVIEW, S.UNIT_PUBLICITY], target=S.NOT_RECOMMENDED)
    def refuse(self) -> None: ...

    @transition(field=state, source=S.RETURNED, target=S.ABANDONED)
    def abandon(self) -> None: ...

    @transition(field=state, source=S.COMMITTEE_CHECK, target=S.ACCEPTED)
    def accept(self) -> None: ...

    @transition(field=state, source=S.COMMITTEE_CHECK, target=S.NOT_ACCEPTED)
    def not_accept(self) -> None: ...

    @transition(field=state, source=S.ACCEPTED, target=S.PASSED)
    def pass_review(self) -> None: ...

    @transition(field=state, source=S.ACCEPTED, target=S.FAILED)
    def fail_review(self) -> None: ...

    @transition(field=state, source=S.PASSED, target=S.RESULTS_PUBLICITY)
    def start_results_publicity(self) -> None: ...

    @transition(field=state, source=S.RESULTS_PUBLICITY, target=S.CONFIRMED)
    def confirm(self) -> None: ...

    @transition(field=state, source=S.CONFIRMED, target=S.CERTIFIED)
    def certify(self) -> None: ...

    @transition(
        field=state,
        source=[
            S.IN_REVIEW,
            S.RETURNED,
            S.UNIT_PUBLICITY,
            S.COMMITTEE_CHECK,
            S.ACCEPTED,
            S.PASSED,
            S.RESULTS_PUBLICITY,
        ],
        target=S.TERMINATED,
    )
    def terminate(self) -> None: ...

    @transition(field=state, source=[S.DRAFT, S.IN_REVIEW, S.RETURNED], target=S.WITHDRAWN)
    def withdraw(self) -> None: ...


# --- Content of a declaration and eligibility data (issue 3; docs/eligibility.md) -------------


class EligibilityRule(models.Model):
    """One way of meeting a level's conditions in a campaign (R2.2), set by the office.

    Several rows for the same campaign and level are alternatives: meeting any one is
    enough. A campaign without rows for a level applies no R2.2 check to it.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("申报批次"), on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    level = models.CharField(_("申报级别"), max_length=32, choices=Level.choices)
    min_education = models.PositiveSmallIntegerField(
        _("最低学历"), choices=EducationLevel.choices
    )
    min_years = models.PositiveSmallIntegerField(
        _("现职称最低任职年限"),
        default=0,
        help_text=_("按批次的任职年限计算截止日期计算，满N年含N年（R2.2、R9.2）。"),
    )
    required_prior_level = models.CharField(
        _("须具备的现职称级别"),
        max_length=32,
        choices=Level.choices,
        blank=True,
        help_text=_("留空表示不要求现职称。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")
        ordering = ["campaign", "level", "min_education", "pk"]
        indexes = [models.Index(fields=["campaign", "level"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_level_display()} · {self.get_min_education_display()}"


class SanctionEntry(models.Model):
    """A person inside a title-review sanction period (影响期), kept by the office (R1.2)."""

    id_number = models.CharField(_("身份证号码"), max_length=18, db_index=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    reason = models.CharField(_("事由"), max_length=500)
    starts_on = models.DateField(_("影响期开始日期"))
    ends_on = models.DateField(_("影响期结束日期"), help_text=_("含当日。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("职称评审失信记录")
        verbose_name_plural = _("职称评审失信记录")
        ordering = ["-ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="sanction_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.id_number} · {self.starts_on} — {self.ends_on}"


class ApplicantStatus(models.Model):
    """Facts about the applicant's status (R1.2) and archive and unit location (R4.7)."""

    declaration = models.OneToOneField(
        Declaration, verbose_name=_("职称申报"), on_delete=models.CASCADE, related_name="applicant_status"
    )
    is_civil_servant = models.BooleanField(_("公务员或参照公务员法管理人员"), default=False)
    retirement_approved_on = models.DateField(
        _("经批准的退休日期"), null=True, blank=True, help_text=_("未退休请留空。")
    )
    unit_in_chongqing = models.BooleanField(_("工作单位在重庆"), default=True)
    archive_in_chongqing = models.BooleanField(_("人事档案存放在重庆"), null=True, blank=True)
    archive_agency = models.CharField(_("档案存放机构"), max_length=200, blank=True)
    archive_since = models.DateField(_("档案存放起始日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申报人身份与档案情况")
        verbose_name_plural = _("申报人身份与档案情况")

    def __str__(self) -> str:
        return str(self.declaration)


class CurrentTitle(models.Model):
    """The title the applicant holds now (or none, R2.6)."""

    declaration = models.OneToOneField(
        Declaration, verbose_name=_("职称申报"), on_delete=models.CASCADE, related_name="current_title"
    )
    basis = models.CharField(
        _("取得方式"), max_length=16, choices=TitleBasis.choices, default=TitleBasis.REVIEWED
    )
    series = models.CharField(
        _("职称系列"), max_length=16, choices=TitleSeries.choices, default=TitleSeries.DIGITAL, blank=True
    )
    level = models.CharField(_("现职称级别"), max_length=32, choices=Level.choices, blank=True)
    specialty = models.CharField(_("专业"), max_length=100, blank=True)
    obtained_on = models.DateField(_("取得时间"), null=True, blank=True)
    issuing_body = models.CharField(_("发证（授予）机构"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("现职称")
        verbose_name_plural = _("现职称")

    def __str__(self) -> str:
        return f"{self.get_level_display() or self.get_basis_display()} {self.specialty}".strip()

    @property
    def holds_title(self) -> bool:
        return self.basis in (TitleBasis.REVIEWED, TitleBasis.ARMY)


class EducationRecord(models.Model):
    """One row of the applicant's education history."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("职称申报"), on_delete=models.CASCADE, related_name="education_records"
    )
    level = models.PositiveSmallIntegerField(_("学历"), choices=EducationLevel.choices)
    school = models.CharField(_("毕业院校"), max_length=200)
    major = models.CharField(_("专业"), max_length=100)
    graduated_on = models.DateField(_("毕业时间"))
    full_time = models.BooleanField(_("全日制"), default=True)

    class Meta:
        verbose_name = _("学历")
        verbose_name_plural = _("学历")
        ordering = ["graduated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.school} {self.major}"


class WorkRecord(models.Model):
    """One row of the applicant's work history."""

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("职称申报"), on_delete=models.CASCADE, related_name="work_records"
    )
    started_on = models.DateField(_("起始时间"))
    ended_on = models.DateField(_("结束时间"), null=True, blank=True, help_text=_("至今请留空。"))
    employer = models.CharField(_("工作单位"), max_length=200)
    post = models.CharField(_("岗位（职务）"), max_length=100)

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="work_record_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.started_on} {self.employer} {self.post}"


class SocialInsuranceRecord(models.Model):
    """One period of social-insurance contributions (R4.7); months are stored as their 1st day."""

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("职称申报"),
        on_delete=models.CASCADE,
        related_name="social_insurance_records",
    )
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("截止月份"), null=True, blank=True, help_text=_("仍在缴纳请留空。"))
    employer = models.CharField(_("参保单位"), max_length=200)
    paid_in_chongqing = models.BooleanField(_("在重庆缴纳"), default=True)

    class Meta:
        verbose_name = _("社会保险缴纳记录")
        verbose_name_plural = _("社会保险缴纳记录")
        ordering = ["start_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="social_insurance_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        end = f"{self.end_month:%Y-%m}" if self.end_month else _("至今")
        return f"{self.start_month:%Y-%m} — {end} {self.employer}"


# --- achievements, evidence files and fees (issue 3; declarations/achievements.py,
# declarations/evidence.py, declarations/payments.py) ----------------------------------------


class Achievement(models.Model):
    """One achievement (业绩成果) the applicant declares, with its evidence (R2.5, R8.6).

    Whether it counts (R2.5: obtained after the current title) is computed when read,
    by ``declarations.achievements``, because the current title may still change.
    """

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="achievements"
    )
    kind = models.CharField(_("成果类型"), max_length=32, choices=de.AchievementKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    obtained_on = models.DateField(_("取得时间"))
    role = models.CharField(
        _("本人角色/排名"), max_length=100, help_text=_("例如：项目负责人、第一作者、第2发明人。")
    )
    description = models.TextField(_("简要说明"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("业绩成果")
        verbose_name_plural = _("业绩成果")
        ordering = ["declaration", "obtained_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """Store under the declaration's folder with a random name; never the uploader's name.

    ``filename`` is the name the service generated (only its extension, taken from the
    content type detected by content, is kept).
    """
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"evidence/{instance.declaration_id}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """One evidence file of a declaration: of an achievement (R8.6), a shared-data item
    that needs manual review (R5.4), or a document of the route (R4.4, R4.6).

    Written only by ``declarations.evidence.evidence_upload``, after the checks of
    docs/achievements-and-evidence.md; the file lives in Django storage.
    """

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="evidence"
    )
    achievement = models.ForeignKey(
        Achievement,
        verbose_name=_("业绩成果"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    purpose = models.CharField(_("材料类型"), max_length=32, choices=de.EvidencePurpose.choices)
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256校验值"), max_length=64)
    content_type = models.CharField(_("文件类型"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["declaration", "created_at", "pk"]
        indexes = [models.Index(fields=["declaration", "purpose"])]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.original_name}"


class Payment(models.Model):
    """The review fee of a declaration (R8.5): always the campaign's fee for its level.

    Opened when the declaration is submitted; confirmed through the payment gateway of
    ``declarations.payments`` (by default the committee host's staff confirm it).
    """

    declaration = models.OneToOneField(
        Declaration, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="payment"
    )
    amount = models.DecimalField(_("金额(元)"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("缴费状态"),
        max_length=16,
        choices=de.PaymentStatus.choices,
        default=de.PaymentStatus.PENDING,
        db_index=True,
    )
    method = models.CharField(
        _("缴费方式"), max_length=16, choices=de.PaymentMethod.choices, blank=True
    )
    reference = models.CharField(_("缴费凭证号"), max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审费")
        verbose_name_plural = _("评审费")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(confirmed_at__isnull=False),
                name="payment_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id} · {self.amount} · {self.get_status_display()}"


# --- Shared-data verification (R5.4) and versions (issue 3; docs/shared-data.md,
# docs/versions.md; declarations/shareddata/, declarations/versions.py) --------------------


class SharedDataRecord(models.Model):
    """One person's item of the shared government data (R5.4), as imported by the office.

    Read by the default source, ``declarations.shareddata.sources.DatabaseSource``; filled
    by ``manage.py import_shared_data``. ``data`` holds the item's fields (docs/shared-data.md).
    """

    kind = models.CharField(_("数据项"), max_length=32, choices=de.SharedDataKind.choices)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    data = models.JSONField(_("数据"), default=dict)
    source = models.CharField(_("数据来源"), max_length=100)
    imported_at = models.DateTimeField(_("导入时间"))

    class Meta:
        verbose_name = _("共享数据")
        verbose_name_plural = _("共享数据")
        ordering = ["kind", "id_number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "id_number"], name="shared_data_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.id_number}"


class SharedDataCheck(models.Model):
    """The result of checking one item of a declaration against shared data (R5.4).

    Written only by ``declarations.shareddata.services``: automatically when the
    declaration is submitted or re-checked, and by hand by the unit for an item that
    failed (``confirmed_by_unit`` / ``rejected_by_unit``).
    """

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("职称申报"),
        on_delete=models.CASCADE,
        related_name="shared_data_checks",
    )
    kind = models.CharField(_("数据项"), max_length=32, choices=de.SharedDataKind.choices)
    status = models.CharField(_("核验结果"), max_length=20, choices=de.SharedDataStatus.choices)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    declared = models.JSONField(_("申报内容"), default=dict, blank=True)
    found = models.JSONField(_("共享数据内容"), default=dict, blank=True)
    source = models.CharField(_("数据来源"), max_length=100, blank=True)
    checked_at = models.DateTimeField(_("核验时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人工确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("人工确认时间"), null=True, blank=True)
    note = models.CharField(_("人工确认意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("共享数据核验")
        verbose_name_plural = _("共享数据核验")
        ordering = ["declaration_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "kind"], name="shared_data_check_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"


class DeclarationVersion(models.Model):
    """What a declaration said when it was submitted or resubmitted; never changed after.

    ``data`` maps each section of ``declarations.versions`` to its plain-value snapshot.
    """

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("职称申报"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    reason = models.CharField(_("原因"), max_length=16, choices=de.VersionReason.choices)
    frozen_at = models.DateTimeField(_("形成时间"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    data = models.JSONField(_("内容"), default=dict)

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["declaration_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "number"], name="declaration_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id} · v{self.number}"
