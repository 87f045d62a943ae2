"""Applicant categories, chain slots and review decisions; imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantCategory(models.TextChoices):
    """Applicant categories of R4, each with its own routing chain."""

    CITY_PUBLIC = "city_public", _("市属事业单位或国有企业")
    DISTRICT_PUBLIC = "district_public", _("区县属事业单位或国有企业")
    FLOATING_CQ_ARCHIVE = "floating_cq_archive", _("非公有制单位/流动人员(档案在重庆)")
    FLOATING_REMOTE_ARCHIVE = "floating_remote_archive", _("非公有制单位/流动人员(档案在市外)")
    FREELANCER = "freelancer", _("自由职业者")
    OUT_OF_CITY_UNIT = "out_of_city_unit", _("市外单位驻渝机构人员")


class Slot(models.TextChoices):
    """Which of the applicant's chosen organisations fills a chain step."""

    UNIT = "unit", _("所在单位")
    COMPETENT_DEPARTMENT = "competent_department", _("主管部门")
    PERSONNEL_AGENCY = "personnel_agency", _("人事代理机构")
    DISTRICT_HR = "district_hr", _("区县人力社保(职改)部门")
    MANAGEMENT_BODY = "management_body", _("驻渝最高管理机构")


class DecisionKind(models.TextChoices):
    """What a reviewing organisation decided at its step."""

    PASS = "pass", _("审核通过，报送上级")
    RETURN = "return", _("退回补正")
    REFUSE = "refuse", _("不予推荐")
    ACCEPT = "accept", _("受理")
    NOT_ACCEPT = "not_accept", _("不予受理")


class NotAcceptReason(models.TextChoices):
    """The reasons R6.6 names for not accepting a declaration."""

    NOT_ELIGIBLE = "not_eligible", _("不符合申报条件")
    OUT_OF_SCOPE = "out_of_scope", _("不属于本评委会评审范围")
    WRONG_PROCEDURE = "wrong_procedure", _("未按规定程序报送")


class PublicityStatus(models.TextChoices):
    """Where one candidate of a unit publicity stands (R6.3)."""

    ON_PUBLICITY = "on_publicity", _("公示中")
    HELD = "held", _("有投诉待核查")
    RELEASED = "released", _("公示结束，可报送")
    REFUSED = "refused", _("投诉属实，不予推荐")
    TERMINATED = "terminated", _("投诉属实，终止评审")


class ComplaintOutcome(models.TextChoices):
    """What the unit or its superior department found on a complaint (R6.3, R7.6)."""

    PENDING = "pending", _("待核查")
    GROUNDLESS = "groundless", _("经核查不属实")
    UPHELD_REFUSED = "upheld_refused", _("经核查属实，不予推荐")
    UPHELD_TERMINATED = "upheld_terminated", _("经核查属实，终止评审")
