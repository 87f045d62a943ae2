"""How each item of R5.4 is compared with shared data; pure reads, no writes.

Each comparer takes the declaration (with its applicant and content) and the source's
record of the item (or None) and returns an ``Outcome``: the status, a sentence for the
people reading it, what the declaration said and what the source said. An item that
does not apply to a declaration (post vacancies outside public institutions) has no
comparer result (``None``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from declarations.enums import Level, SharedDataKind, SharedDataStatus
from declarations.models import Declaration
from declarations.shareddata.sources import SourceRecord
from review.enums import ApplicantCategory

K = SharedDataKind
St = SharedDataStatus

# R5.4: post vacancies are checked for public institutions only; these categories
# declare through a city- or district-level public institution or state-owned enterprise.
POST_VACANCY_CATEGORIES = frozenset({ApplicantCategory.CITY_PUBLIC, ApplicantCategory.DISTRICT_PUBLIC})


@dataclass(frozen=True)
class Outcome:
    status: str
    detail: str
    declared: dict[str, Any] = field(default_factory=dict)
    found: dict[str, Any] = field(default_factory=dict)


_BLANKS = re.compile(r"\s+")
_FULL_WIDTH = str.maketrans("（）", "()")


def same_name(a: str | None, b: str | None) -> bool:
    """Compare two names of people or organisations, ignoring blanks and bracket width."""
    if not a or not b:
        return False
    return _BLANKS.sub("", a).translate(_FULL_WIDTH).casefold() == _BLANKS.sub(
        "", b
    ).translate(_FULL_WIDTH).casefold()


def _related(declaration: Declaration, name: str) -> Any:
    """A one-to-one content object of the declaration, or None (absent or not built yet)."""
    try:
        return getattr(declaration, name, None)
    except ObjectDoesNotExist:
        return None


def _level_label(value: str | None) -> str:
    if value in Level.values:
        return str(Level(value).label)
    return value or ""


def _not_found() -> str:
    return _("共享数据中未查到该项，请上传证明材料，由单位人工核实。")


def _mismatch(what: str, declared: str, found: str) -> str:
    return _("%(what)s：共享数据为“%(found)s”，与申报的“%(declared)s”不一致。") % {
        "what": what,
        "found": found,
        "declared": declared,
    }


def compare_personal_data(d: Declaration, record: SourceRecord | None) -> Outcome:
    declared = {"name": d.applicant.real_name, "id_number": d.applicant.masked_id_number}
    if record is None:
        return Outcome(St.NOT_FOUND, _not_found(), declared)
    found = {"name": record.data.get("name", "")}
    if same_name(d.applicant.real_name, found["name"]):
        return Outcome(St.VERIFIED, _("姓名、身份证号码与共享数据一致。"), declared, found)
    return Outcome(
        St.NOT_VERIFIED, _mismatch(_("姓名"), d.applicant.real_name, found["name"]), declared, found
    )


def declared_employer(d: Declaration) -> str:
    """The employer the declaration names: its current social-insurance row, else its unit."""
    manager = getattr(d, "social_insurance_records", None)
    if manager is not None:
        rows = list(manager.all())
        if rows:
            current = [r for r in rows if getattr(r, "end_month", None) is None] or rows
            latest = max(current, key=lambda r: (getattr(r, "start_month", None) is not None,
                                                 getattr(r, "start_month", None) or 0, r.pk))
            employer = getattr(latest, "employer", "")
            if employer:
                return str(employer)
    return d.unit.name if d.unit_id else ""


def compare_social_insurance_employer(d: Declaration, record: SourceRecord | None) -> Outcome:
    employer = declared_employer(d)
    declared = {"employer": employer}
    if not employer:
        return Outcome(
            St.NOT_VERIFIED, _("申报中未填写社保缴纳单位或所在单位，无法核验。"), declared,
            dict(record.data) if record else {},
        )
    if record is None:
        return Outcome(St.NOT_FOUND, _not_found(), declared)
    found = {"employer": record.data.get("employer", "")}
    if same_name(employer, found["employer"]):
        return Outcome(St.VERIFIED, _("社保缴纳单位与共享数据一致。"), declared, found)
    return Outcome(
        St.NOT_VERIFIED, _mismatch(_("社保缴纳单位"), employer, found["employer"]), declared, found
    )


def declared_archive_agency(d: Declaration) -> str:
    """The archive agency the declaration names: its status record, else its personnel agency."""
    status = _related(d, "applicant_status")
    agency = getattr(status, "archive_agency", "") if status is not None else ""
    if agency:
        return str(agency)
    return d.personnel_agency.name if d.personnel_agency_id else ""


def compare_archive_agency(d: Declaration, record: SourceRecord | None) -> Outcome:
    agency = declared_archive_agency(d)
    declared = {"agency": agency}
    if not agency:
        return Outcome(
            St.NOT_VERIFIED, _("申报中未填写档案存放机构，无法核验。"), declared,
            dict(record.data) if record else {},
        )
    if record is None:
        return Outcome(St.NOT_FOUND, _not_found(), declared)
    found = {"agency": record.data.get("agency", "")}
    if same_name(agency, found["agency"]):
        return Outcome(St.VERIFIED, _("档案存放机构与共享数据一致。"), declared, found)
    return Outcome(
        St.NOT_VERIFIED, _mismatch(_("档案存放机构"), agency, found["agency"]), declared, found
    )


def compare_current_qualification(d: Declaration, record: SourceRecord | None) -> Outcome:
    title = _related(d, "current_title")
    level = getattr(title, "level", "") if title is not None else ""
    specialty = getattr(title, "specialty", "") if title is not None else ""
    declared = {"level": level, "specialty": specialty}
    if not level:
        return Outcome(
            St.NOT_VERIFIED, _("申报中未填写现职称级别，无法核验。"), declared,
            dict(record.data) if record else {},
        )
    if record is None:
        return Outcome(St.NOT_FOUND, _not_found(), declared)
    found = {"level": record.data.get("level", ""), "specialty": record.data.get("specialty", "")}
    problems = []
    if found["level"] != level:
        problems.append(_mismatch(_("现职称级别"), _level_label(level), _level_label(found["level"])))
    if specialty and found["specialty"] and not same_name(specialty, found["specialty"]):
        problems.append(_mismatch(_("现职称专业"), specialty, found["specialty"]))
    if problems:
        return Outcome(St.NOT_VERIFIED, "".join(problems), declared, found)
    return Outcome(St.VERIFIED, _("现职称与共享数据一致。"), declared, found)


def continuing_education_year(d: Declaration) -> int:
    """The year whose public courses are checked: the last full year before the campaign's.

    The filing window falls in the campaign's year before its courses can be complete
    (docs/decisions.md).
    """
    return d.campaign.year - 1


def compare_continuing_education(d: Declaration, record: SourceRecord | None) -> Outcome:
    year = continuing_education_year(d)
    declared = {"year": year}
    if record is None:
        return Outcome(St.NOT_FOUND, _not_found(), declared)
    entry = (record.data.get("years") or {}).get(str(year))
    if not isinstance(entry, Mapping):
        return Outcome(
            St.NOT_VERIFIED,
            _("共享数据中没有%(year)d年度继续教育公需科目的记录。") % {"year": year},
            declared,
        )
    found = {"year": year, "hours": entry.get("hours"), "completed": bool(entry.get("completed"))}
    if found["completed"]:
        return Outcome(
            St.VERIFIED,
            _("%(year)d年度继续教育公需科目已完成（%(hours)s学时）。")
            % {"year": year, "hours": found["hours"]},
            declared,
            found,
        )
    return Outcome(
        St.NOT_VERIFIED,
        _("%(year)d年度继续教育公需科目未完成（已完成%(hours)s学时）。")
        % {"year": year, "hours": found["hours"]},
        declared,
        found,
    )


def compare_post_vacancy(d: Declaration, record: SourceRecord | None) -> Outcome | None:
    if d.category not in POST_VACANCY_CATEGORIES:
        return None
    unit = d.unit.name if d.unit_id else ""
    declared = {"unit": unit, "level": d.level}
    if record is None:
        return Outcome(St.NOT_FOUND, _not_found(), declared)
    found = {
        "unit": record.data.get("unit", ""),
        "level": record.data.get("level", ""),
        "vacant": bool(record.data.get("vacant")),
    }
    problems = []
    if not same_name(unit, found["unit"]):
        problems.append(_mismatch(_("岗位所在单位"), unit or "—", found["unit"]))
    if found["level"] != d.level:
        problems.append(
            _mismatch(_("岗位等级"), _level_label(d.level), _level_label(found["level"]))
        )
    if not found["vacant"]:
        problems.append(_("共享数据显示该单位该等级岗位无空缺。"))
    if problems:
        return Outcome(St.NOT_VERIFIED, "".join(problems), declared, found)
    return Outcome(St.VERIFIED, _("所在单位有相应等级的岗位空缺。"), declared, found)


Comparer = Callable[[Declaration, SourceRecord | None], Outcome | None]

COMPARERS: dict[str, Comparer] = {
    K.PERSONAL_DATA: compare_personal_data,
    K.SOCIAL_INSURANCE_EMPLOYER: compare_social_insurance_employer,
    K.ARCHIVE_AGENCY: compare_archive_agency,
    K.CURRENT_QUALIFICATION: compare_current_qualification,
    K.CONTINUING_EDUCATION: compare_continuing_education,
    K.POST_VACANCY: compare_post_vacancy,
}


def kinds_for(d: Declaration) -> list[str]:
    """The items of R5.4 that apply to this declaration, in the notice's order."""
    title = _related(d, "current_title")
    # R2.6: staff who hold no title (moved from government organs) have none to check.
    no_title = title is not None and getattr(title, "holds_title", True) is False
    return [
        kind for kind in K.values
        if (kind != K.POST_VACANCY or d.category in POST_VACANCY_CATEGORIES)
        and (kind != K.CURRENT_QUALIFICATION or not no_title)
    ]
