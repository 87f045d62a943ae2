"""Routing chains as data (R4), each declaration's resolved route, and step decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.enums import AdminLevel, OrgKind
from review.enums import ApplicantCategory, DecisionKind, Slot


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
    decided_at = models.DateTimeField(_("审核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"
