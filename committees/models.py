"""Committees, the expert pool, draws with recusal, meetings and attendance (R7.1, R7.2).

Part B's models (ballots, tallies, opinions, results, minutes) follow below this file's
first section; keep these at the top.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from accounts.enums import OrgKind
from committees.enums import (
    BallotChoice,
    CandidateOutcome,
    CommitteeRoleKind,
    ConfirmationKind,
    ConfirmationState,
    DrawEntryStatus,
    ExclusionReason,
    MeetingState,
    ResultsComplaintOutcome,
    ResultsEntryStatus,
    VotingMode,
)
from declarations.enums import Field

MS = MeetingState


class Committee(models.Model):
    """A review committee (评审委员会) hosted by a committee host (R3.3, R7)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    host = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("评委会组建单位"),
        on_delete=models.PROTECT,
        related_name="committees",
        limit_choices_to={"kind": OrgKind.COMMITTEE_HOST},
    )
    approval_body = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("核准机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_committees",
        limit_choices_to={"kind": OrgKind.APPROVAL_BODY},
    )
    levels = models.JSONField(_("评审级别"), default=list, blank=True, help_text=_("空表示不限级别。"))
    fields = models.JSONField(_("评审专业领域"), default=list, blank=True, help_text=_("空表示不限领域。"))
    draw_method = models.TextField(
        _("备案的专家抽取办法"),
        blank=True,
        help_text=_("评委会备案的随机抽取专家办法（R7.1）。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审委员会")
        verbose_name_plural = _("评审委员会")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:detail", args=[self.pk])

    def reviews(self, *, level: str, field: str) -> bool:
        """Whether a declaration of ``level`` and ``field`` is in this committee's scope."""
        return (not self.levels or level in self.levels) and (not self.fields or field in self.fields)


class Expert(models.Model):
    """One expert of the pool (评审专家库); a linked user logs in to answer and vote."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert",
    )
    name = models.CharField(_("姓名"), max_length=50)
    field = models.CharField(_("专业领域"), max_length=32, choices=Field.choices, db_index=True)
    title = models.CharField(_("职称"), max_length=50, help_text=_("例如：正高级工程师。"))
    employer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("任职单位（平台机构）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employed_experts",
    )
    employer_name = models.CharField(_("任职单位"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    term_start = models.DateField(_("聘期开始"))
    term_end = models.DateField(_("聘期结束"), null=True, blank=True, help_text=_("含当日。"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["field", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="expert_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）"

    def in_term(self, on: datetime.date) -> bool:
        return self.term_start <= on and (self.term_end is None or on <= self.term_end)


class CommitteeRole(models.Model):
    """An expert's place on a committee: chair, vice-chair or member (R7.2)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("评审委员会"), on_delete=models.CASCADE, related_name="roles"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(
        _("职务"), max_length=16, choices=CommitteeRoleKind.choices, default=CommitteeRoleKind.MEMBER
    )

    class Meta:
        verbose_name = _("评委会成员")
        verbose_name_plural = _("评委会成员")
        ordering = ["committee", "role", "expert__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "expert"], name="committee_role_unique"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role=CommitteeRoleKind.CHAIR),
                name="committee_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_role_display()} {self.expert.name}"


class ConflictDeclaration(models.Model):
    """A conflict of interest an expert declared with one declaration (R7.1 回避)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="conflicts"
    )
    declaration = models.ForeignKey(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="expert_conflicts",
    )
    reason = models.CharField(_("回避事由"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        constraints = [
            models.UniqueConstraint(fields=["expert", "declaration"], name="conflict_declaration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.expert.name} / {self.declaration_id}: {self.reason}"


class Meeting(models.Model):
    """One sitting of a committee for a campaign (R7.2 to R7.5)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("评审委员会"), on_delete=models.PROTECT, related_name="meetings"
    )
    campaign = models.ForeignKey(
        "declarations.Campaign",
        verbose_name=_("申报批次"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    scheduled_at = models.DateTimeField(_("会议时间"))
    location = models.CharField(_("会议地点"), max_length=200)
    voting_mode = models.CharField(
        _("投票方式"), max_length=16, choices=VotingMode.choices, default=VotingMode.ELECTRONIC
    )
    presiding = models.ForeignKey(
        Expert,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presided_meetings",
    )
    state = FSMField(
        _("状态"),
        max_length=16,
        choices=MeetingState.choices,
        default=MS.SCHEDULED,
        protected=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("安排人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    voting_opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审会议")
        verbose_name_plural = _("评审会议")
        ordering = ["-scheduled_at", "-pk"]
        indexes = [models.Index(fields=["committee", "state", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.committee} {self.scheduled_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("committees:meeting", args=[self.pk])

    # Transitions: one service each performs them (committees.services, part B's services).
    @transition(field=state, source=MS.SCHEDULED, target=MS.VOTING_OPEN)
    def open_voting(self) -> None: ...

    @transition(field=state, source=MS.VOTING_OPEN, target=MS.VOTING_CLOSED)
    def close_voting(self) -> None: ...

    @transition(field=state, source=MS.VOTING_CLOSED, target=MS.SIGNED)
    def sign(self) -> None: ...


class MeetingMember(models.Model):
    """An expert sitting on a meeting, with their attendance (R7.2)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="members"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="meeting_seats"
    )
    role = models.CharField(
        _("职务"), max_length=16, choices=CommitteeRoleKind.choices, default=CommitteeRoleKind.MEMBER
    )
    attending = models.BooleanField(_("出席"), default=False)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("考勤登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会议成员")
        verbose_name_plural = _("会议成员")
        ordering = ["meeting", "role", "expert__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "expert"], name="meeting_member_unique")]

    def __str__(self) -> str:
        return f"{self.meeting} {self.expert.name}"


class MeetingCandidate(models.Model):
    """A declaration reviewed at a meeting; each declaration is on one meeting at most."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="candidates"
    )
    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="meeting_candidate",
    )
    position = models.PositiveIntegerField(_("顺序"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("列入时间"), auto_now_add=True)
    recused_experts = models.ManyToManyField(
        Expert, through="Recusal", related_name="recused_candidacies", blank=True
    )

    class Meta:
        verbose_name = _("上会申报")
        verbose_name_plural = _("上会申报")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"


class Recusal(models.Model):
    """An expert left out of one candidate's deliberation and count (R7.1 回避)."""

    candidate = models.ForeignKey(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.CASCADE,
        related_name="recusals",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="recusals"
    )
    reason = models.CharField(_("回避事由"), max_length=32, choices=ExclusionReason.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [models.UniqueConstraint(fields=["candidate", "expert"], name="recusal_unique")]

    def __str__(self) -> str:
        return f"{self.expert.name} {self.get_reason_display()}"


class Draw(models.Model):
    """A random draw of experts for a meeting (R7.1), reproducible from this row.

    ``seed_commitment`` (sha256 of the seed) is stored before the permutation is computed;
    the seed is revealed with the result. ``committees.workflow.draw_permutation`` derives
    the order from ``pool_snapshot`` and the seed; ``committees.services.draw_verify``
    re-runs it (docs/committee.md).
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="draw"
    )
    needed = models.PositiveSmallIntegerField(_("需要专家人数"))
    drawn = models.PositiveSmallIntegerField(_("抽取人数"))
    field = models.CharField(_("限定专业领域"), max_length=32, choices=Field.choices, blank=True)
    method = models.TextField(_("抽取办法"), blank=True)
    seed_commitment = models.CharField(_("种子承诺值(SHA-256)"), max_length=64)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    pool_snapshot = models.JSONField(_("候选专家(抽取时)"), default=list)
    excluded = models.JSONField(_("排除的专家及原因"), default=dict, blank=True)
    skipped = models.JSONField(
        _("递补时跳过的专家及原因"),
        default=dict,
        blank=True,
        help_text=_("递补抽取时因新出现的回避事由而跳过的专家。"),
    )
    result = models.JSONField(_("抽取结果"), default=list, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    committed_at = models.DateTimeField(_("承诺时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        constraints = [
            # R7.1: 超员配置, more experts are drawn than needed.
            models.CheckConstraint(condition=Q(drawn__gt=F("needed")), name="draw_more_than_needed"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.drawn}/{self.needed}"


class DrawEntry(models.Model):
    """One expert a draw picked, in the permutation's order, with their answer."""

    draw = models.ForeignKey(
        Draw, verbose_name=_("专家抽取"), on_delete=models.CASCADE, related_name="entries"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="draw_entries"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    status = models.CharField(
        _("状态"), max_length=16, choices=DrawEntryStatus.choices, default=DrawEntryStatus.INVITED
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("递补对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        ordering = ["draw", "order"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "expert"], name="draw_entry_expert_unique"),
            models.UniqueConstraint(fields=["draw", "order"], name="draw_entry_order_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.order} {self.expert.name} {self.get_status_display()}"


# --- Part B: secret ballot, tallies, opinions, results, termination, minutes (R7.3 to R7.6) ---


class Ballot(models.Model):
    """One secret ballot (无记名投票, R7.3): a candidate and a choice, and nothing else.

    Deliberately unlinkable: no key to the voter or their seat, no time, and a random
    primary key, so neither a column nor an insertion sequence can be matched with the
    voter's ``VoteReceipt``. Never audited, exported, shown in the admin or returned by
    the API; only aggregated counts leave the database (docs/committee.md).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate = models.ForeignKey(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    choice = models.CharField(_("表决意见"), max_length=16, choices=BallotChoice.choices)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(_("选票"))


class VoteReceipt(models.Model):
    """That an expert has voted on a candidate; which way is in no row (R7.3).

    The unique pair refuses a second ballot; the row has no link to the ``Ballot`` and
    no time of its own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate = models.ForeignKey(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.PROTECT,
        related_name="vote_receipts",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="vote_receipts"
    )

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["candidate", "expert"], name="vote_receipt_unique")]

    def __str__(self) -> str:
        return f"{self.expert.name} #{self.candidate_id}"


class PaperTally(models.Model):
    """The counts of a candidate's paper ballots as the committee staff entered them (R7.3)."""

    candidate = models.OneToOneField(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.PROTECT,
        related_name="paper_tally",
    )
    agree = models.PositiveSmallIntegerField(_("同意票"))
    disagree = models.PositiveSmallIntegerField(_("不同意票"))
    abstain = models.PositiveSmallIntegerField(_("弃权票"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("纸质投票计票")
        verbose_name_plural = _("纸质投票计票")

    def __str__(self) -> str:
        return f"#{self.candidate_id} {self.agree}/{self.disagree}/{self.abstain}"


class Opinion(models.Model):
    """An expert's signed opinion on a candidate, printed on the review form (R7.5).

    Not secret: it names its author.
    """

    candidate = models.ForeignKey(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="opinions"
    )
    text = models.TextField(_("评审意见"), max_length=2000)
    updated_at = models.DateTimeField(_("填写时间"))

    class Meta:
        verbose_name = _("专家评审意见")
        verbose_name_plural = _("专家评审意见")
        ordering = ["candidate", "expert__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["candidate", "expert"], name="opinion_unique")]

    def __str__(self) -> str:
        return f"{self.expert.name} #{self.candidate_id}"


class Termination(models.Model):
    """A candidate's review terminated before the results were signed (R7.6)."""

    candidate = models.OneToOneField(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.PROTECT,
        related_name="termination",
    )
    reason = models.TextField(_("终止理由"))
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    terminated_at = models.DateTimeField(_("终止时间"))

    class Meta:
        verbose_name = _("终止评审")
        verbose_name_plural = _("终止评审")

    def __str__(self) -> str:
        return f"#{self.candidate_id}: {self.reason}"


class CandidateResult(models.Model):
    """A candidate's counts and outcome as the presiding chair signed them (R7.3, R7.4)."""

    candidate = models.OneToOneField(
        MeetingCandidate,
        verbose_name=_("上会申报"),
        on_delete=models.PROTECT,
        related_name="result",
    )
    eligible = models.PositiveSmallIntegerField(
        _("应参加表决人数"), help_text=_("出席专家中未回避该申报的人数（R7.3）。")
    )
    agree = models.PositiveSmallIntegerField(_("同意票"))
    disagree = models.PositiveSmallIntegerField(_("不同意票"))
    abstain = models.PositiveSmallIntegerField(_("弃权票"))
    outcome = models.CharField(_("评审结果"), max_length=16, choices=CandidateOutcome.choices)

    class Meta:
        verbose_name = _("评审结果")
        verbose_name_plural = _("评审结果")
        ordering = ["candidate"]

    def __str__(self) -> str:
        return f"#{self.candidate_id} {self.get_outcome_display()}"


class MeetingSignoff(models.Model):
    """Who closed the voting and who announced and signed the results, and when (R7.4)."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="signoff"
    )
    voting_closed_by = models.ForeignKey(
        Expert, verbose_name=_("结束投票人"), on_delete=models.PROTECT, related_name="+"
    )
    voting_closed_at = models.DateTimeField(_("结束投票时间"))
    signed_by = models.ForeignKey(
        Expert,
        verbose_name=_("签署人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决结果签署")
        verbose_name_plural = _("表决结果签署")

    def __str__(self) -> str:
        return str(self.meeting)


def minutes_upload_to(instance: Minutes, filename: str) -> str:
    return f"committees/minutes/{instance.meeting_id}/{uuid.uuid4().hex}.pdf"


class Minutes(models.Model):
    """The signed meeting's minutes as a PDF in storage, with its checksum (R7.5)."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="minutes"
    )
    file = models.FileField(_("文件"), upload_to=minutes_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256校验值"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")

    def __str__(self) -> str:
        return f"{self.meeting} {self.sha256[:12]}"


# --- Results: review report, results publicity, confirmation (R8.1, R8.2) ---------------
# Services: committees.outcomes (docs/results.md).


def review_report_upload_to(instance: ReviewReport, filename: str) -> str:
    return f"committees/reports/{instance.meeting_id}/{uuid.uuid4().hex}.pdf"


class ReviewReport(models.Model):
    """The review report (评审情况报告) the host sends to the approval body (R8.1).

    Due within 5 working days after the meeting (``due_on``, R9.1a); stored as a PDF
    with its checksum, with the counts it states in ``summary``.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="review_report"
    )
    due_on = models.DateField(_("报送期限"), help_text=_("会议后第5个工作日（R8.1）。"))
    note = models.TextField(_("情况说明"), blank=True, max_length=4000)
    summary = models.JSONField(_("评审情况统计"), default=dict)
    file = models.FileField(_("文件"), upload_to=review_report_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256校验值"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("评审情况报告")
        verbose_name_plural = _("评审情况报告")

    def __str__(self) -> str:
        return f"{self.meeting} {self.sha256[:12]}"


class ResultsPublicity(models.Model):
    """The publicity of a signed meeting's passed candidates (R8.1): at least 5 working days,
    mirrored by the approval body; complaints are heard by the host."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="results_publicity"
    )
    title = models.CharField(_("公示标题"), max_length=200)
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    starts_at = models.DateTimeField(_("公示开始时间"))
    ends_at = models.DateTimeField(_("公示截止时间"), db_index=True)
    due_on = models.DateField(_("发布期限"), help_text=_("会议后第5个工作日（R8.1）。"))
    contact = models.CharField(_("投诉受理联系方式"), max_length=200)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("评审结果公示")
        verbose_name_plural = _("评审结果公示")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=5), name="results_publicity_at_least_5_days"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="results_publicity_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committees:results_public_detail", args=[self.pk])


class ResultsPublicityEntry(models.Model):
    """One passed candidate on a results publicity (R8.1)."""

    publicity = models.ForeignKey(
        ResultsPublicity, verbose_name=_("评审结果公示"), on_delete=models.PROTECT, related_name="entries"
    )
    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="results_publicity_entry",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ResultsEntryStatus.choices,
        default=ResultsEntryStatus.ON_PUBLICITY,
        db_index=True,
    )
    released_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审结果公示人选")
        verbose_name_plural = _("评审结果公示人选")
        ordering = ["publicity", "pk"]

    def __str__(self) -> str:
        return f"{self.publicity_id} / {self.declaration_id}"


class ResultsComplaint(models.Model):
    """A complaint about a passed candidate during the results publicity (R8.1)."""

    entry = models.ForeignKey(
        ResultsPublicityEntry, verbose_name=_("公示人选"), on_delete=models.PROTECT, related_name="complaints"
    )
    name = models.CharField(_("投诉人姓名"), max_length=50, blank=True)
    contact = models.CharField(_("投诉人联系方式"), max_length=100, blank=True)
    text = models.TextField(_("投诉内容"), max_length=2000)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    filed_at = models.DateTimeField(_("投诉时间"))
    outcome = models.CharField(
        _("核查结论"),
        max_length=16,
        choices=ResultsComplaintOutcome.choices,
        default=ResultsComplaintOutcome.PENDING,
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
        verbose_name = _("评审结果投诉")
        verbose_name_plural = _("评审结果投诉")
        ordering = ["filed_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_outcome_display()}"


class ConfirmationNotice(models.Model):
    """The confirmation of a meeting's results (R8.2), drafted by the committee host.

    ``approval``: the approval body confirms and issues the 核准通知 with its 批准文号;
    ``entrusted``: the host issues a result letter (评审结果函) to the entrusting unit;
    ``self_filed``: a unit with its own review authority confirms and files its results.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="confirmation_notices"
    )
    kind = models.CharField(
        _("核准方式"), max_length=16, choices=ConfirmationKind.choices, default=ConfirmationKind.APPROVAL
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True, max_length=10000)
    entrusting_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("委托单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_confirmations",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("拟稿时间"))
    due_on = models.DateField(_("拟稿期限"), help_text=_("公示期满后第15个工作日（R8.2）。"))
    document_number = models.CharField(_("批准文号"), max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("核准时间"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ConfirmationState.choices, default=ConfirmationState.DRAFT
    )

    class Meta:
        verbose_name = _("核准通知")
        verbose_name_plural = _("核准通知")
        ordering = ["-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(state=ConfirmationState.DRAFT),
                name="confirmation_one_draft_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="confirmation_document_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(state=ConfirmationState.DRAFT)
                | (~Q(document_number="") & Q(confirmed_at__isnull=False)),
                name="confirmation_issued_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ConfirmationKind.ENTRUSTED) | Q(entrusting_organisation__isnull=False),
                name="confirmation_entrusted_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committees:confirmation_detail", args=[self.pk])


class ConfirmationEntry(models.Model):
    """One declaration a confirmation notice confirms (R8.2)."""

    notice = models.ForeignKey(
        ConfirmationNotice, verbose_name=_("核准通知"), on_delete=models.CASCADE, related_name="entries"
    )
    declaration = models.OneToOneField(
        "declarations.Declaration",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="confirmation_entry",
    )

    class Meta:
        verbose_name = _("核准人选")
        verbose_name_plural = _("核准人选")
        ordering = ["notice", "pk"]

    def __str__(self) -> str:
        return f"{self.notice_id} / {self.declaration_id}"
