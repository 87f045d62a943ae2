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


class EducationLevel(models.IntegerChoices):
    """Degree levels, lowest first: the value orders them (R2.2)."""

    SECONDARY = 1, _("中专/高中")
    JUNIOR_COLLEGE = 2, _("大专")
    BACHELOR = 3, _("本科")
    MASTER = 4, _("硕士")
    DOCTOR = 5, _("博士")


class TitleSeries(models.TextChoices):
    """The series a current title belongs to; an engineering-series title counts (R2.3)."""

    DIGITAL = "digital", _("数字技术")
    ENGINEERING = "engineering", _("工程系列（其他专业）")


class TitleBasis(models.TextChoices):
    """How the applicant holds the current title (R2.6)."""

    REVIEWED = "reviewed", _("评审（考试）取得")
    # R2.6: kept by officers who chose their own jobs, with no confirmation step.
    ARMY = "army", _("部队授予（自主择业军转干部）")
    NONE = "none", _("无职称")
    # R2.6: staff moved from government organs without a title declare the matching level.
    ORGAN_TRANSFER = "organ_transfer", _("无职称（由机关调入企事业单位）")


# The rank of each title level, lowest first (R2.1), to compare a held title with a rule.
LEVEL_RANK = {level: rank for rank, level in enumerate(Level, start=1)}


class AchievementKind(models.TextChoices):
    """Kinds of achievement (业绩成果) the notice names, each with its evidence (R2.5, R8.6)."""

    WORK_RESULT = "work_result", _("工作业绩")
    RESEARCH_PROJECT = "research_project", _("科研项目")
    PAPER = "paper", _("论文")
    BOOK = "book", _("著作")
    ACADEMIC_REPORT = "academic_report", _("学术报告")
    AWARD = "award", _("获奖")
    PATENT = "patent", _("专利")
    SOFTWARE_COPYRIGHT = "software_copyright", _("软件著作权")
    STANDARD = "standard", _("标准")


class EvidencePurpose(models.TextChoices):
    """What an uploaded evidence file proves: an achievement's evidence (R8.6), a shared-data
    item that failed automatic verification (R5.4), or a document a route needs (R4.4, R4.6)."""

    # R8.6: evidence of achievements.
    CONTRACT = "contract", _("合同")
    AGREEMENT = "agreement", _("协议")
    PROJECT_REPORT_EXCERPT = "project_report_excerpt", _("项目报告（节选）")
    PROJECT_APPROVAL = "project_approval", _("立项书")
    COMPLETION_REPORT = "completion_report", _("结题报告")
    COVER = "cover", _("封面")
    PAPER_PAGES = "paper_pages", _("论文正文页")
    INDEXING_CERTIFICATE = "indexing_certificate", _("检索证明")
    PREFACE = "preface", _("前言")
    PUBLISHER_PROOF = "publisher_proof", _("出版社证明")
    INVITATION_LETTER = "invitation_letter", _("邀请函")
    AWARD_CERTIFICATE = "award_certificate", _("获奖证书")
    AWARD_DOCUMENT = "award_document", _("奖励文件")
    PATENT_CERTIFICATE = "patent_certificate", _("专利证书")
    SOFTWARE_REGISTRATION = "software_registration", _("软件著作权登记证书")
    # R5.4: items of shared data; evidence is needed when automatic verification fails.
    PERSONAL_DATA = "personal_data", _("个人基本信息")
    SOCIAL_INSURANCE_EMPLOYER = "social_insurance_employer", _("社保缴纳单位")
    ARCHIVE_AGENCY = "archive_agency", _("档案存放机构")
    CURRENT_QUALIFICATION = "current_qualification", _("现有资格（职称）")
    CONTINUING_EDUCATION = "continuing_education", _("继续教育公需科目")
    POST_VACANCY = "post_vacancy", _("事业单位岗位空缺")
    # R4.4, R4.6: documents an applicant of those routes files with the declaration.
    REMOTE_ARCHIVE_CHECK = "remote_archive_check", _("异地查档记录")
    ENTRUSTMENT_LETTER = "entrustment_letter", _("委托评审函")


_P = EvidencePurpose

# R8.6: the evidence each kind of achievement needs, declared once. Each inner tuple is
# one requirement; any one purpose of it satisfies it (a work result needs a contract or
# an agreement, and excerpts of the project report).
ACHIEVEMENT_EVIDENCE: dict[str, tuple[tuple[str, ...], ...]] = {
    AchievementKind.WORK_RESULT: ((_P.CONTRACT, _P.AGREEMENT), (_P.PROJECT_REPORT_EXCERPT,)),
    AchievementKind.RESEARCH_PROJECT: ((_P.PROJECT_APPROVAL,), (_P.COMPLETION_REPORT,)),
    AchievementKind.PAPER: ((_P.COVER,), (_P.PAPER_PAGES,), (_P.INDEXING_CERTIFICATE,)),
    AchievementKind.BOOK: ((_P.COVER,), (_P.PREFACE,), (_P.PUBLISHER_PROOF,)),
    AchievementKind.ACADEMIC_REPORT: ((_P.INVITATION_LETTER,),),
    AchievementKind.AWARD: ((_P.AWARD_CERTIFICATE,), (_P.AWARD_DOCUMENT,)),
    AchievementKind.PATENT: ((_P.PATENT_CERTIFICATE,),),
    AchievementKind.SOFTWARE_COPYRIGHT: ((_P.SOFTWARE_REGISTRATION,),),
    AchievementKind.STANDARD: ((_P.COVER,), (_P.PREFACE,)),
}

# R5.4: the six shared-data items, in the notice's order.
SHARED_DATA_PURPOSES: tuple[str, ...] = (
    _P.PERSONAL_DATA,
    _P.SOCIAL_INSURANCE_EMPLOYER,
    _P.ARCHIVE_AGENCY,
    _P.CURRENT_QUALIFICATION,
    _P.CONTINUING_EDUCATION,
    _P.POST_VACANCY,
)
# Purposes of evidence that belongs to the declaration, not to an achievement.
DECLARATION_PURPOSES: tuple[str, ...] = (
    *SHARED_DATA_PURPOSES,
    _P.REMOTE_ARCHIVE_CHECK,
    _P.ENTRUSTMENT_LETTER,
)


def achievement_purposes(kind: str) -> tuple[str, ...]:
    """Every evidence purpose a file of an achievement of ``kind`` may have (R8.6)."""
    return tuple(p for group in ACHIEVEMENT_EVIDENCE[kind] for p in group)


class PaymentStatus(models.TextChoices):
    """Whether the review fee has been received (R8.5)."""

    PENDING = "pending", _("待缴费")
    CONFIRMED = "confirmed", _("已确认缴费")


class PaymentMethod(models.TextChoices):
    """How the applicant paid, as the committee host's staff recorded it (R8.5)."""

    BANK_TRANSFER = "bank_transfer", _("银行转账")
    ONLINE = "online", _("网上支付")
    CARD = "card", _("刷卡")
    CASH = "cash", _("现金")


class SharedDataKind(models.TextChoices):
    """The six items R5.4 fills in or checks from shared government data.

    The values are those of the matching ``EvidencePurpose``: the evidence uploaded for an
    item that failed verification has the item's kind as its purpose.
    """

    PERSONAL_DATA = "personal_data", _("个人基本信息")
    SOCIAL_INSURANCE_EMPLOYER = "social_insurance_employer", _("社保缴纳单位")
    ARCHIVE_AGENCY = "archive_agency", _("档案存放机构")
    CURRENT_QUALIFICATION = "current_qualification", _("现有资格（职称）")
    CONTINUING_EDUCATION = "continuing_education", _("继续教育公需科目")
    POST_VACANCY = "post_vacancy", _("事业单位岗位空缺")


class SharedDataStatus(models.TextChoices):
    """The result of checking one item against shared data (R5.4), and the unit's finding."""

    VERIFIED = "verified", _("已自动核验")
    NOT_VERIFIED = "not_verified", _("核验不一致")
    NOT_FOUND = "not_found", _("共享数据中未查到")
    CONFIRMED_BY_UNIT = "confirmed_by_unit", _("单位已人工确认")
    REJECTED_BY_UNIT = "rejected_by_unit", _("单位核实不符")


class VersionReason(models.TextChoices):
    """Why a version of a declaration was frozen."""

    SUBMIT = "submit", _("提交")
    RESUBMIT = "resubmit", _("补正后重新提交")
