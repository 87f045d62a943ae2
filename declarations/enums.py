"""Declaration states, levels, fields and types; imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Where a declaration stands in its life (DESIGN.md, docs/workflow.md)."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回补正")
    UNIT_PUBLICITY = "unit_publicity", _("单位公示中")
    NOT_RECOMMENDED = "not_recommended", _("不予推荐")
    ABANDONED = "abandoned", _("视为放弃")
    COMMITTEE_CHECK = "committee_check", _("评委会受理审核中")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    PASSED = "passed", _("评审通过")
    FAILED = "failed", _("评审未通过")
    RESULTS_PUBLICITY = "results_publicity", _("评审结果公示中")
    CONFIRMED = "confirmed", _("已核准")
    CERTIFIED = "certified", _("已发证")
    TERMINATED = "terminated", _("终止评审")
    WITHDRAWN = "withdrawn", _("已撤回")


class Level(models.TextChoices):
    """Levels of the digital-technology title (R2.1), lowest first."""

    TECHNICIAN = "technician", _("技术员")
    ASSISTANT_ENGINEER = "assistant_engineer", _("助理工程师")
    ENGINEER = "engineer", _("工程师")
    SENIOR_ENGINEER = "senior_engineer", _("高级工程师")
    PROFESSOR_ENGINEER = "professor_engineer", _("正高级工程师")


class FeeBand(models.TextChoices):
    """Fee bands of R2.1/R8.5."""

    SENIOR = "senior", _("高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")


# R2.1: 正高级 and 高级 are senior, 工程师 intermediate, the rest junior.
LEVEL_FEE_BAND = {
    Level.PROFESSOR_ENGINEER: FeeBand.SENIOR,
    Level.SENIOR_ENGINEER: FeeBand.SENIOR,
    Level.ENGINEER: FeeBand.INTERMEDIATE,
    Level.ASSISTANT_ENGINEER: FeeBand.JUNIOR,
    Level.TECHNICIAN: FeeBand.JUNIOR,
}


class Field(models.TextChoices):
    """Digital-technology fields (R9.3)."""

    ARTIFICIAL_INTELLIGENCE = "artificial_intelligence", _("人工智能")
    INTERNET_OF_THINGS = "internet_of_things", _("物联网")
    BIG_DATA = "big_data", _("大数据")
    CLOUD_COMPUTING = "cloud_computing", _("云计算")
    DIGITAL_MANAGEMENT = "digital_management", _("数字化管理")
    INTELLIGENT_MANUFACTURING = "intelligent_manufacturing", _("智能制造")
    INDUSTRIAL_INTERNET = "industrial_internet", _("工业互联网")
    VIRTUAL_REALITY = "virtual_reality", _("虚拟现实")
    BLOCKCHAIN = "blockchain", _("区块链")
    INTEGRATED_CIRCUITS = "integrated_circuits", _("集成电路")
    ROBOTICS = "robotics", _("机器人工程")
    ADDITIVE_MANUFACTURING = "additive_manufacturing", _("增材制造工程")
    DATA_SECURITY = "data_security", _("数据安全工程")
    CRYPTOGRAPHY = "cryptography", _("密码工程")


class DeclarationType(models.TextChoices):
    """Declaration types of R2.3."""

    NORMAL = "normal", _("正常申报")
    TRANSFER = "transfer", _("转评")
    ADDITIONAL = "additional", _("多评")
    GREEN_CHANNEL = "green_channel", _("绿色通道")
