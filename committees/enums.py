"""Committee roles, draw and meeting states; imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeRoleKind(models.TextChoices):
    """An expert's role on a committee and at a meeting (R7.2)."""

    CHAIR = "chair", _("主任委员")
    VICE_CHAIR = "vice_chair", _("副主任委员")
    MEMBER = "member", _("委员")


# R7.2: the chair or a vice-chair presides.
PRESIDING_ROLES: tuple[str, ...] = (CommitteeRoleKind.CHAIR, CommitteeRoleKind.VICE_CHAIR)


class DrawEntryStatus(models.TextChoices):
    """The answer of an expert drawn for a meeting (R7.1)."""

    INVITED = "invited", _("已邀请")
    # Translators: an expert drawn to replace one who declined, not yet answered.
    REPLACEMENT = "replacement", _("已递补邀请")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")


# Entries still waiting for the expert's answer.
AWAITING_ANSWER: tuple[str, ...] = (DrawEntryStatus.INVITED, DrawEntryStatus.REPLACEMENT)


class ExclusionReason(models.TextChoices):
    """Why an expert of the pool was left out of a draw, or recuses for a candidate (R7.1)."""

    APPLICANT_UNIT = "applicant_unit", _("任职单位为申报人所在单位")
    ROUTE = "route", _("任职单位为申报人审核路线上的机构")
    DECLARED = "declared", _("本人申报的利害关系")
    SELF = "self", _("本人为申报人")
    INACTIVE = "inactive", _("专家已停用")
    TERM_OVER = "term_over", _("不在聘期内")
    ALREADY_MEMBER = "already_member", _("已是本次会议成员")
    # Translators: a recusal the staff recorded at the meeting for a reason given there.
    OTHER = "other", _("其他回避事由")


# The reasons that are a conflict of interest with a candidate (回避), not ineligibility.
CONFLICT_REASONS: tuple[str, ...] = (
    ExclusionReason.APPLICANT_UNIT,
    ExclusionReason.ROUTE,
    ExclusionReason.DECLARED,
    ExclusionReason.SELF,
    ExclusionReason.OTHER,
)


class MeetingState(models.TextChoices):
    """Where a committee meeting stands (R7.2 to R7.4)."""

    SCHEDULED = "scheduled", _("已安排")
    VOTING_OPEN = "voting_open", _("投票中")
    VOTING_CLOSED = "voting_closed", _("投票结束")
    SIGNED = "signed", _("已签署")


class VotingMode(models.TextChoices):
    """How the secret ballot of a meeting is cast (R7.3), chosen per meeting."""

    ELECTRONIC = "electronic", _("电子投票")
    PAPER = "paper", _("纸质投票")


# --- Part B: secret ballot, results (R7.3 to R7.6) ---------------------------------------


class BallotChoice(models.TextChoices):
    """What an expert marks on a secret ballot for one candidate (R7.3)."""

    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class CandidateOutcome(models.TextChoices):
    """How a candidate's review at a meeting ended (R7.3, R7.4, R7.6)."""

    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    TERMINATED = "terminated", _("终止评审")


# --- Results: review report, results publicity, confirmation (R8.1, R8.2) ----------------


class ResultsEntryStatus(models.TextChoices):
    """Where one passed candidate of a results publicity stands (R8.1)."""

    ON_PUBLICITY = "on_publicity", _("公示中")
    HELD = "held", _("有投诉待核查")
    RELEASED = "released", _("公示期满，待核准")
    TERMINATED = "terminated", _("投诉属实，终止评审")


class ResultsComplaintOutcome(models.TextChoices):
    """What the committee host found on a complaint about a passed candidate (R8.1, R7.6)."""

    PENDING = "pending", _("待核查")
    GROUNDLESS = "groundless", _("经核查不属实")
    UPHELD = "upheld", _("经核查属实，终止评审")


class ConfirmationKind(models.TextChoices):
    """How a meeting's results are confirmed (R8.2)."""

    APPROVAL = "approval", _("核准通知")
    ENTRUSTED = "entrusted", _("评审结果函")
    SELF_FILED = "self_filed", _("自主评审备案")


class ConfirmationState(models.TextChoices):
    """A confirmation notice is drafted by the host, then issued (R8.2)."""

    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")
