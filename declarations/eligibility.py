"""Eligibility of a declaration: R1.2, R2.2, R2.3 and R4.7 as findings (docs/eligibility.md).

Each ``check_*`` function is pure: it takes the facts and returns findings. A finding
names the rule, the field at fault, whether it blocks submission, and a Chinese message
stating the fact that failed. ``declaration_eligibility`` loads the facts of one
declaration and runs every check; pages show its findings continuously and
``declaration_submit`` refuses a declaration with a blocking finding (``not_eligible``).

R2.4 (one normal declaration per year) is checked by ``declaration_submit`` itself
(``_refuse_second_normal``), because it depends on the person's other declarations under
the row lock, not on the content of this one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from declarations.enums import (
    LEVEL_RANK,
    DeclarationType,
    EducationLevel,
    Level,
    TitleBasis,
    TitleSeries,
)
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    Declaration,
    EducationRecord,
    EligibilityRule,
    SanctionEntry,
    SocialInsuranceRecord,
)
from review.enums import ApplicantCategory

# R4.7: floating personnel (R4.3 to R4.5).
FLOATING_CATEGORIES = frozenset(
    {
        ApplicantCategory.FLOATING_CQ_ARCHIVE,
        ApplicantCategory.FLOATING_REMOTE_ARCHIVE,
        ApplicantCategory.FREELANCER,
    }
)
# R4.7: at least 1 year (12 months) of contributions or of archive storage.
MIN_INSURANCE_MONTHS = 12
MIN_ARCHIVE_YEARS = 1

SAME_LEVEL_TYPES = frozenset({DeclarationType.TRANSFER, DeclarationType.ADDITIONAL})


@dataclass(frozen=True)
class Finding:
    """One fact that does not meet a rule; ``blocking`` ones refuse submission."""

    rule: str
    field: str
    blocking: bool
    message: str

    @property
    def section(self) -> str:
        """The content section the field belongs to (``current_title``, ``education``, ...)."""
        return self.field.split(".", 1)[0]

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "field": self.field, "blocking": self.blocking, "message": self.message}


# --- counting (R2.2, R4.7, R9.2) ---------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(start: dt.date, end: dt.date) -> int:
    """Whole years from ``start`` up to ``end`` inclusive: 2019-12-31 to 2024-12-31 is 5.

    A year is complete on the same calendar day (R9.2 counts "满N年" inclusively), so
    2020-01-01 to 2024-12-31 is 4 years.
    """
    if end < start:
        return 0
    years = end.year - start.year
    while years > 0 and add_years(start, years) > end:
        years -= 1
    return years


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def insurance_months(
    records: Iterable[SocialInsuranceRecord], cutoff: dt.date, *, chongqing_only: bool = False
) -> int:
    """Distinct calendar months of contributions up to the cut-off's month (R4.7).

    An ongoing period runs to the cut-off; overlapping periods count each month once;
    months after the cut-off do not count.
    """
    last = _month_index(cutoff)
    months: set[int] = set()
    for record in records:
        if chongqing_only and not record.paid_in_chongqing:
            continue
        start = _month_index(record.start_month)
        end = min(last, _month_index(record.end_month) if record.end_month else last)
        months.update(range(start, end + 1))
    return len(months)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- R1.2 --------------------------------------------------------------------------------------


def check_status(status: ApplicantStatus | None, today: dt.date) -> list[Finding]:
    """R1.2: civil servants and staff managed as such, and retirees, may not declare."""
    findings: list[Finding] = []
    if status is None:
        return findings
    if status.is_civil_servant:
        findings.append(
            Finding(
                "R1.2",
                "applicant_status.is_civil_servant",
                True,
                _("身份：公务员或参照公务员法管理人员，不能申报职称（R1.2）。"),
            )
        )
    retired = status.retirement_approved_on
    if retired is not None and retired <= today:
        findings.append(
            Finding(
                "R1.2",
                "applicant_status.retirement_approved_on",
                True,
                _("经批准的退休日期：%(date)s，自该日起不能申报职称（R1.2）。")
                % {"date": f"{retired:%Y-%m-%d}"},
            )
        )
    return findings


def check_sanctions(entries: Iterable[SanctionEntry], today: dt.date) -> list[Finding]:
    """R1.2: a person inside a sanction period (影响期) may not declare until it ends."""
    active = [e for e in entries if e.starts_on <= today <= e.ends_on]
    if not active:
        return []
    entry = max(active, key=lambda e: e.ends_on)
    return [
        Finding(
            "R1.2",
            "sanction",
            True,
            _("处于职称评审失信影响期（%(reason)s），至%(end)s止，期间不能申报（R1.2）。")
            % {"reason": entry.reason, "end": f"{entry.ends_on:%Y-%m-%d}"},
        )
    ]


# --- R2.2 and R2.3 -----------------------------------------------------------------------------


def _level_label(level: str) -> str:
    return str(Level(level).label)


def _education_label(level: int) -> str:
    return str(EducationLevel(level).label)


def highest_education(records: Iterable[EducationRecord], cutoff: dt.date) -> int | None:
    """The highest degree level obtained by the cut-off date, or None."""
    levels = [r.level for r in records if r.graduated_on <= cutoff]
    return max(levels) if levels else None


def _describe(rule: EligibilityRule) -> str:
    text = _("%(education)s及以上学历") % {"education": _education_label(rule.min_education)}
    if rule.required_prior_level:
        text += _("，任%(level)s满%(years)s年") % {
            "level": _level_label(rule.required_prior_level),
            "years": rule.min_years,
        }
    return text


def _rule_unmet(
    rule: EligibilityRule, education: int | None, title: CurrentTitle | None, years: int
) -> str | None:
    """The field that fails ``rule``, or None when the rule is met."""
    if education is None or education < rule.min_education:
        return "education"
    if rule.required_prior_level:
        if title is None or not title.holds_title or not title.level:
            return "current_title"
        if LEVEL_RANK[Level(title.level)] < LEVEL_RANK[Level(rule.required_prior_level)]:
            return "current_title.level"
        if years < rule.min_years:
            return "current_title.obtained_on"
    return None


def check_conditions(
    *,
    declaration: Declaration,
    rules: Sequence[EligibilityRule],
    title: CurrentTitle | None,
    education_records: Sequence[EducationRecord],
    cutoff: dt.date,
) -> list[Finding]:
    """R2.2 and R2.3: the declared level's conditions, and the prior title of a transfer.

    Rules of the campaign for the level are alternatives; meeting one is enough. A missing
    current title or education blocks only when the campaign has rules for the level
    (docs/eligibility.md). Green-channel declarations get the R2.2 findings as notes for
    the reviewers, not as blocks. Transfer and additional declarations (R2.3) need a title
    of the declared level in another specialty instead of the prior level and years.
    """
    findings: list[Finding] = []
    level = declaration.level
    if not level:
        return findings
    has_rules = bool(rules)
    education = highest_education(education_records, cutoff)
    green = declaration.declaration_type == DeclarationType.GREEN_CHANNEL
    same_level = declaration.declaration_type in SAME_LEVEL_TYPES
    organ_transfer = title is not None and title.basis == TitleBasis.ORGAN_TRANSFER

    if title is None:
        findings.append(
            Finding(
                "R2.2",
                "current_title",
                has_rules and not green,
                _("未填写现职称情况（R2.2）。"),
            )
        )
    if education is None:
        findings.append(
            Finding(
                "R2.2",
                "education",
                has_rules and not green,
                _("未填写截至%(cutoff)s已取得的学历（R2.2）。") % {"cutoff": f"{cutoff:%Y-%m-%d}"},
            )
        )

    if same_level:
        findings.extend(_check_same_level(declaration, title))

    if not has_rules or education is None or (title is None and not same_level):
        return findings

    years = 0
    if title is not None and title.holds_title and title.obtained_on is not None:
        years = full_years(title.obtained_on, cutoff)
    if same_level or organ_transfer:
        # R2.3: the prior title replaces the prior-level and years conditions; R2.6: staff
        # from government organs declare the matching level directly. Education still counts.
        needed = min(r.min_education for r in rules)
        if education < needed:
            findings.append(
                Finding(
                    "R2.2",
                    "education",
                    not green,
                    _("学历：%(have)s，申报%(level)s至少需要%(need)s（R2.2）。")
                    % {
                        "have": _education_label(education),
                        "level": _level_label(level),
                        "need": _education_label(needed),
                    },
                )
            )
        if organ_transfer and not same_level:
            findings.append(
                Finding(
                    "R2.6",
                    "current_title.basis",
                    False,
                    _("机关调入企事业单位且无职称：可按业绩直接申报相应级别，由审核机构核实（R2.6）。"),
                )
            )
        return findings

    unmet = [(rule, _rule_unmet(rule, education, title, years)) for rule in rules]
    if any(field is None for _rule, field in unmet):
        return findings
    facts = _("最高学历：%(education)s") % {"education": _education_label(education)}
    if title is not None and title.holds_title and title.level:
        facts += _("；现职称：%(level)s，取得于%(date)s，至%(cutoff)s满%(years)s年") % {
            "level": _level_label(title.level),
            "date": f"{title.obtained_on:%Y-%m-%d}" if title.obtained_on else "—",
            "cutoff": f"{cutoff:%Y-%m-%d}",
            "years": years,
        }
    if len(rules) == 1:
        message = _("申报%(level)s须%(condition)s。%(facts)s（R2.2）。") % {
            "level": _level_label(level),
            "condition": _describe(rules[0]),
            "facts": facts,
        }
    else:
        message = _("申报%(level)s须满足以下条件之一：%(conditions)s。%(facts)s（R2.2）。") % {
            "level": _level_label(level),
            "conditions": "；".join(_describe(r) for r in rules),
            "facts": facts,
        }
    findings.append(Finding("R2.2", str(unmet[0][1]), not green, message))
    return findings


def _check_same_level(declaration: Declaration, title: CurrentTitle | None) -> list[Finding]:
    """R2.3: a transfer or additional declaration needs a title of the same level in another
    specialty; an engineering-series title counts."""
    kind = declaration.get_declaration_type_display()
    level = _level_label(declaration.level)
    if title is None:
        return []  # reported as missing by the caller
    if not title.holds_title or not title.level:
        return [
            Finding(
                "R2.3",
                "current_title",
                True,
                _("%(kind)s须已具备%(level)s职称，现填写为无职称（R2.3）。") % {"kind": kind, "level": level},
            )
        ]
    if title.level != declaration.level:
        return [
            Finding(
                "R2.3",
                "current_title.level",
                True,
                _("%(kind)s须已具备同级别职称：现职称为%(have)s，申报级别为%(level)s（R2.3）。")
                % {"kind": kind, "have": _level_label(title.level), "level": level},
            )
        ]
    if title.series == TitleSeries.DIGITAL and title.specialty.strip() == str(
        declaration.get_field_display()
    ):
        return [
            Finding(
                "R2.3",
                "current_title.specialty",
                True,
                _("%(kind)s须为其他专业的职称：现职称专业“%(specialty)s”与申报专业相同（R2.3）。")
                % {"kind": kind, "specialty": title.specialty},
            )
        ]
    return []


# --- R4.7 --------------------------------------------------------------------------------------


def check_floating(
    *,
    category: str,
    status: ApplicantStatus | None,
    insurance: Sequence[SocialInsuranceRecord],
    cutoff: dt.date,
) -> list[Finding]:
    """R4.7: floating personnel need a year in Chongqing, by social insurance or archive.

    Unit and archive in Chongqing: 12 months of contributions, in and out of the city
    together; unit in Chongqing, archive elsewhere: 12 months paid in Chongqing; unit
    elsewhere (a freelancer has none), archive in Chongqing: 1 year of archive storage.
    Counted up to the campaign's cut-off date.
    """
    if category not in FLOATING_CATEGORIES:
        return []
    findings: list[Finding] = []
    unit_in_cq = category != ApplicantCategory.FREELANCER and (status is None or status.unit_in_chongqing)
    archive_in_cq = status.archive_in_chongqing if status is not None else None
    expected_archive = category != ApplicantCategory.FLOATING_REMOTE_ARCHIVE
    if archive_in_cq is None:
        archive_in_cq = expected_archive
    elif archive_in_cq != expected_archive:
        findings.append(
            Finding(
                "R4.7",
                "applicant_status.archive_in_chongqing",
                True,
                _("档案存放地（%(where)s）与申报人类别“%(category)s”不一致（R4.3、R4.4）。")
                % {
                    "where": _("重庆") if archive_in_cq else _("市外"),
                    "category": ApplicantCategory(category).label,
                },
            )
        )
    cut = f"{cutoff:%Y-%m-%d}"
    if unit_in_cq:
        chongqing_only = not archive_in_cq
        months = insurance_months(insurance, cutoff, chongqing_only=chongqing_only)
        if months < MIN_INSURANCE_MONTHS:
            what = _("社会保险在渝缴纳") if chongqing_only else _("社会保险缴纳（市内外合计）")
            findings.append(
                Finding(
                    "R4.7",
                    "social_insurance",
                    True,
                    _("%(what)s：截至%(cutoff)s共%(months)s个月，至少需要%(need)s个月（R4.7）。")
                    % {"what": what, "cutoff": cut, "months": months, "need": MIN_INSURANCE_MONTHS},
                )
            )
    elif archive_in_cq:
        since = status.archive_since if status is not None else None
        if since is None:
            findings.append(
                Finding(
                    "R4.7",
                    "applicant_status.archive_since",
                    True,
                    _("未填写档案在渝存放起始日期；单位不在重庆的，档案须在重庆存放满1年（R4.7）。"),
                )
            )
        elif full_years(since, cutoff) < MIN_ARCHIVE_YEARS:
            findings.append(
                Finding(
                    "R4.7",
                    "applicant_status.archive_since",
                    True,
                    _("档案在渝存放：自%(since)s起至%(cutoff)s不满1年，至少需要1年（R4.7）。")
                    % {"since": f"{since:%Y-%m-%d}", "cutoff": cut},
                )
            )
    else:
        findings.append(
            Finding(
                "R4.7",
                "applicant_status.unit_in_chongqing",
                True,
                _("工作单位和人事档案均不在重庆，不属于本市流动人员申报范围（R4.7）。"),
            )
        )
    return findings


# --- everything for one declaration ------------------------------------------------------------


def _one_to_one(declaration: Declaration, name: str) -> Any:
    try:
        return getattr(declaration, name)
    except ObjectDoesNotExist:
        return None


def declaration_eligibility(
    declaration: Declaration,
    *,
    today: dt.date | None = None,
    sanctions: Sequence[SanctionEntry] | None = None,
    rules: Sequence[EligibilityRule] | None = None,
) -> list[Finding]:
    """Every finding on ``declaration`` now: R1.2, R2.2, R2.3 and R4.7 (docs/eligibility.md).

    ``sanctions`` (the entries of the applicant's ID number) and ``rules`` (the campaign's
    for the level, in their model order) are read here unless the caller loaded them.
    """
    today = today or timezone.localdate()
    campaign = declaration.campaign
    cutoff = campaign.work_years_cutoff
    status = _one_to_one(declaration, "applicant_status")
    title = _one_to_one(declaration, "current_title")
    findings = check_status(status, today)
    id_number = declaration.applicant.id_number
    if id_number:
        if sanctions is None:
            sanctions = list(SanctionEntry.objects.filter(id_number=id_number))
        findings += check_sanctions(sanctions, today)
    if declaration.level:
        if rules is None:
            rules = list(EligibilityRule.objects.filter(campaign=campaign, level=declaration.level))
        findings += check_conditions(
            declaration=declaration,
            rules=rules,
            title=title,
            education_records=list(declaration.education_records.all()),
            cutoff=cutoff,
        )
    if declaration.category in FLOATING_CATEGORIES:
        findings += check_floating(
            category=declaration.category,
            status=status,
            insurance=list(declaration.social_insurance_records.all()),
            cutoff=cutoff,
        )
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
