"""Routing chains as data (R4), each declaration's resolved route, and step decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import AdminLevel, OrgKind
from declarations.enums import EducationLevel, Level
from review.enums import ApplicantCategory, ComplaintOutcome, DecisionKind, PublicityStatus, Slot


class RoutingChain(models.Model):
    """The ordered review steps for one applicant category (R4.1 to R4.6)."""

    code = models.CharField(_("规则编号"), max_length=8, unique=True)
    category = models.CharField(
        _("申报人类别"), max_length=32, choices=ApplicantCategory.choices, unique=True
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("申报程序")
        verbose_name_plural = _("申报程序")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChainStep(models.Model):
    """One review step of a chain: which chosen organisation fills it and what it must be."""

    chain = models.ForeignKey(
        RoutingChain, verbose_name=_("申报程序"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    slot = models.CharField(_("机构来源"), max_length=32, choices=Slot.choices)
    org_kind = models.CharField(_("机构类型"), max_length=32, choices=OrgKind.choices)
    required_level = models.CharField(
        _("要求层级"), max_length=16, choices=AdminLevel.choices, blank=True
    )
    same_district_as = models.CharField(
        _("须与其同一区县"),
        max_length=32,
        choices=Slot.choices,
        blank=True,
        help_text=_("例如：人事代理机构所在地的区县人力社保部门（R4.3、R4.5）。"),
    )

    class Meta:
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="chain_step_position"),
            models.UniqueConstraint(fields=["chain", "slot"], name="chain_step_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.chain.code} #{self.position} {self.get_slot_display()}"


class RouteStep(models.Model):
    """One organisation on a declaration's route, fixed when it is first submitted."""

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="route",
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    slot = models.CharField(_("机构来源"), max_length=32, choices=Slot.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("审核机构"),
        on_delete=models.PROTECT,
        related_name="route_steps",
    )

    class Meta:
        verbose_name = _("审核路线")
        verbose_name_plural = _("审核路线")
        ordering = ["declaration", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "position"], name="route_step_position"
            )
        ]
        indexes = [models.Index(fields=["organisation", "declaration"])]

    def __str__(self) -> str:
        return f"#{self.position} {self.organisation}"


class Decision(models.Model):
    """A reviewing organisation's decision at its step (R6), with reasons and defects."""

    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("审核机构"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    step = models.PositiveSmallIntegerField(
        _("环节"), null=True, blank=True, help_text=_("空值表示评委会受理审核。")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("审核结论"), max_length=16, choices=DecisionKind.choices)
    reason = models.TextField(_("意见"), blank=True)
    defects = models.JSONField(_("需补正的问题"), default=list, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class PublicityBatch(models.Model):
    """One unit publicity notice (R6.3): its candidates, period and complaint contacts.

    The period is counted in working days when it is published and stored
    (``ends_at`` is 24:00 of the last working day, R9.1a); a later change of the
    calendar does not move it.
    """

    unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("公示单位"),
        on_delete=models.PROTECT,
        related_name="publicity_batches",
    )
    title = models.CharField(_("公示标题"), max_length=200)
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    starts_at = models.DateTimeField(_("公示开始时间"))
    ends_at = models.DateTimeField(_("公示截止时间"), db_index=True)
    unit_contact = models.CharField(_("本单位投诉受理联系方式"), max_length=200)
    offline_location = models.CharField(_("线下公示地点"), max_length=500)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位公示")
        verbose_name_plural = _("单位公示")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            # R6.3, R9.2: at least 5 working days.
            models.CheckConstraint(
                condition=models.Q(working_days__gte=5), name="publicity_batch_at_least_5_days"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="publicity_batch_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PublicityEntry(models.Model):
    """One candidate of a publicity batch; a pending complaint holds it (R6.3)."""

    batch = models.ForeignKey(
        PublicityBatch, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="entries"
    )
    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="publicity_entries",
    )
    superior = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("上级主管部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("公示状态"),
        max_length=16,
        choices=PublicityStatus.choices,
        default=PublicityStatus.ON_PUBLICITY,
        db_index=True,
    )
    released_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示人选")
        verbose_name_plural = _("公示人选")
        ordering = ["batch", "pk"]
        constraints = [
            # Publicised once: after it no unpublicised material may be added (R6.6).
            models.UniqueConstraint(fields=["declaration"], name="publicity_entry_one_per_declaration")
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.declaration_id}"


class Complaint(models.Model):
    """A complaint about one publicised candidate, and its outcome (R6.3, R7.6)."""

    entry = models.ForeignKey(
        PublicityEntry, verbose_name=_("公示人选"), on_delete=models.PROTECT, related_name="complaints"
    )
    name = models.CharField(_("投诉人姓名"), max_length=50, blank=True)
    contact = models.CharField(_("投诉人联系方式"), max_length=100, blank=True)
    text = models.TextField(_("投诉内容"), max_length=2000)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    filed_at = models.DateTimeField(_("投诉时间"))
    outcome = models.CharField(
        _("核查结论"),
        max_length=20,
        choices=ComplaintOutcome.choices,
        default=ComplaintOutcome.PENDING,
        db_index=True,
    )
    resolution = models.TextField(_("核查意见"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示投诉")
        verbose_name_plural = _("公示投诉")
        ordering = ["filed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_outcome_display()}"


class UnitCondition(models.Model):
    """A unit's own stricter conditions for one campaign and level (R6.2).

    They only add requirements on top of the city's conditions (R2.2): a candidate who
    does not meet them may not be recommended by the unit (R6.1), but the city's rules
    still apply in full whatever the unit sets.
    """

    unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("用人单位"),
        on_delete=models.CASCADE,
        related_name="unit_conditions",
        limit_choices_to={"kind": OrgKind.UNIT},
    )
    campaign = models.ForeignKey(
        "declarations.Campaign",
        verbose_name=_("申报批次"),
        on_delete=models.CASCADE,
        related_name="unit_conditions",
    )
    level = models.CharField(
        _("申报级别"),
        max_length=32,
        choices=Level.choices,
        blank=True,
        help_text=_("留空表示适用于所有级别。"),
    )
    min_education = models.PositiveSmallIntegerField(
        _("最低学历"),
        choices=EducationLevel.choices,
        null=True,
        blank=True,
        help_text=_("只能在全市申报条件基础上提高，不得低于全市条件（R6.2）。"),
    )
    min_years_in_title = models.PositiveSmallIntegerField(
        _("现职称最低任职年限"),
        null=True,
        blank=True,
        help_text=_("计算至本批次任职年限计算截止日期；只能在全市条件基础上提高（R2.2、R6.2）。"),
    )
    min_achievements = models.PositiveSmallIntegerField(
        _("最少业绩成果数"),
        null=True,
        blank=True,
        help_text=_("只计取得现职称后的业绩成果（R2.5）；只能在全市条件基础上提高（R6.2）。"),
    )
    note = models.TextField(_("说明"), blank=True, help_text=_("向申报人展示的说明。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位自定条件")
        verbose_name_plural = _("单位自定条件")
        ordering = ["campaign", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "campaign", "level"], name="unit_condition_unit_campaign_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign} · {self.get_level_display() or _('所有级别')}"
