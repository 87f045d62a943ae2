"""Campaigns and declarations; every state change is a transition of ``Declaration``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from accounts.enums import OrgKind
from declarations.enums import LEVEL_FEE_BAND, DeclarationType, FeeBand, Field, Level, State
from review.enums import ApplicantCategory

S = State


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
