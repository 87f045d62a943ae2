"""A unit's own stricter conditions (R6.2), checked at its step before it recommends.

A unit administrator sets, per campaign and optionally per level, a minimum education,
years in the current title (counted to the campaign's cut-off exactly as R2.2 counts
them) and a number of achievements obtained after the current title (R2.5). They only
add to the city's conditions (R2.2), which apply in full whatever the unit sets: a
candidate who does not meet them may be returned or refused by the unit, not passed
up (R6.1, R6.2). See docs/unit-conditions.md.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.enums import OrgKind
from accounts.models import Organisation, User
from core.exceptions import PermissionRefused, ServiceError
from core.services import audit_record
from declarations.achievements import counts_after_title, current_title_obtained_on
from declarations.eligibility import full_years, highest_education
from declarations.enums import EducationLevel, Level
from declarations.models import Campaign, Declaration
from review.enums import Slot
from review.models import UnitCondition


def conditions_for_declaration(declaration: Declaration) -> list[UnitCondition]:
    """The unit's conditions for the declaration's campaign: its level's and every level's."""
    if not declaration.unit_id:
        return []
    return list(
        UnitCondition.objects.filter(
            unit_id=declaration.unit_id, campaign_id=declaration.campaign_id
        ).filter(Q(level="") | Q(level=declaration.level))
    )


def _strictest(conditions: list[UnitCondition], attr: str) -> int | None:
    values = [getattr(c, attr) for c in conditions if getattr(c, attr) is not None]
    return max(values) if values else None


def unit_condition_findings(declaration: Declaration) -> list[str]:
    """What the declaration lacks of its unit's own conditions (R6.2), as messages.

    Level-specific and every-level conditions both apply; of each minimum the
    strictest counts. Empty when the unit set none or all are met.
    """
    conditions = conditions_for_declaration(declaration)
    if not conditions:
        return []
    cutoff = declaration.campaign.work_years_cutoff
    findings: list[str] = []

    need_education = _strictest(conditions, "min_education")
    if need_education is not None:
        have = highest_education(declaration.education_records.all(), cutoff)
        if have is None or have < need_education:
            findings.append(
                _("本单位要求最高学历不低于%(need)s，您为%(have)s（R6.2）") % {
                    "need": EducationLevel(need_education).label,
                    "have": EducationLevel(have).label if have is not None else _("未填写"),
                }
            )

    title = getattr(declaration, "current_title", None)
    need_years = _strictest(conditions, "min_years_in_title")
    if need_years is not None:
        years = 0
        if title is not None and title.holds_title and title.obtained_on is not None:
            years = full_years(title.obtained_on, cutoff)
        if years < need_years:
            findings.append(
                _("本单位要求现职称任职满%(need)d年，您为%(have)d年（R6.2）")
                % {"need": need_years, "have": years}
            )

    need_achievements = _strictest(conditions, "min_achievements")
    if need_achievements is not None:
        title_on = current_title_obtained_on(declaration)
        counted = sum(
            1
            for on in declaration.achievements.values_list("obtained_on", flat=True)
            if counts_after_title(on, title_on)[0]
        )
        if counted < need_achievements:
            findings.append(
                _("本单位要求取得现职称后的业绩成果不少于%(need)d项，您为%(have)d项（R6.2）")
                % {"need": need_achievements, "have": counted}
            )
    return findings


def at_unit_step(declaration: Declaration) -> bool:
    """Whether the declaration waits at the ``unit`` step of its route."""
    if declaration.current_step is None:
        return False
    step = next((s for s in declaration.route.all() if s.position == declaration.current_step), None)
    return step is not None and step.slot == Slot.UNIT


def unit_condition_refusal_for_pass(declaration: Declaration) -> ServiceError | None:
    """Refuse passing at the unit step when the unit's own conditions are not met (R6.2)."""
    if not at_unit_step(declaration):
        return None
    findings = unit_condition_findings(declaration)
    if not findings:
        return None
    return ServiceError(
        "unit_conditions_not_met",
        _("不符合本单位自定的申报条件，不得推荐（R6.1、R6.2）：%(findings)s。")
        % {"findings": "；".join(findings)},
    )


# -- the unit administrator's services -------------------------------------------------------


def administered_unit(actor: User) -> Organisation | None:
    """The unit ``actor`` administers, or None when it is no unit's active administrator."""
    org = actor.administered_organisation if actor.is_authenticated else None
    return org if org is not None and org.kind == OrgKind.UNIT else None


def _check_unit_admin(actor: User, unit: Organisation) -> None:
    org = administered_unit(actor)
    if org is None or org.pk != unit.pk:
        raise PermissionRefused(
            "not_unit_administrator", _("只有本单位的职称管理员可以设置本单位的申报条件（R6.2）。")
        )


def unit_condition_list_for_user(user: User) -> QuerySet[UnitCondition]:
    """The conditions of the unit ``user`` administers; none for anyone else."""
    unit = administered_unit(user)
    if unit is None:
        return UnitCondition.objects.none()
    return UnitCondition.objects.filter(unit=unit).select_related("campaign").order_by(
        "-campaign__year", "campaign__name", "level", "pk"
    )


def unit_condition_get_for_user(user: User, pk: int) -> UnitCondition:
    """One condition of the user's unit; 404 for any other, so none is revealed."""
    condition = unit_condition_list_for_user(user).filter(pk=pk).first()
    if condition is None:
        raise Http404(_("该单位条件不存在。"))
    return condition


@transaction.atomic
def unit_condition_set(
    *,
    actor: User,
    unit: Organisation,
    campaign: Campaign,
    level: str = "",
    min_education: int | None = None,
    min_years_in_title: int | None = None,
    min_achievements: int | None = None,
    note: str = "",
) -> UnitCondition:
    """Add or replace the unit's condition for the campaign and level (R6.2).

    Only the unit's active title administrator may. The condition adds to the city's
    conditions; it cannot relax them.
    """
    _check_unit_admin(actor, unit)
    if level and level not in Level.values:
        raise ServiceError("level_invalid", _("申报级别无效。"), field="level")
    if min_education is not None and min_education not in EducationLevel.values:
        raise ServiceError("education_invalid", _("学历无效。"), field="min_education")
    if min_education is None and min_years_in_title is None and min_achievements is None:
        raise ServiceError(
            "unit_condition_empty",
            _("请至少设置一项条件：最低学历、现职称任职年限或业绩成果数。"),
        )
    condition, created = UnitCondition.objects.update_or_create(
        unit=unit,
        campaign=campaign,
        level=level or "",
        defaults={
            "min_education": min_education,
            "min_years_in_title": min_years_in_title,
            "min_achievements": min_achievements,
            "note": note.strip(),
            "created_by": actor,
        },
    )
    audit_record(
        actor=actor,
        obj=condition,
        action="unit_condition_set",
        data={
            "rules": ["R6.2"],
            "created": created,
            "campaign": campaign.pk,
            "level": level or "",
            "min_education": min_education,
            "min_years_in_title": min_years_in_title,
            "min_achievements": min_achievements,
        },
    )
    return condition


@transaction.atomic
def unit_condition_delete(*, actor: User, condition: UnitCondition) -> None:
    """Remove one of the unit's conditions (R6.2); only its title administrator may."""
    _check_unit_admin(actor, condition.unit)
    audit_record(
        actor=actor,
        obj=condition,
        action="unit_condition_delete",
        data={
            "rules": ["R6.2"],
            "campaign": condition.campaign_id,
            "level": condition.level,
            "min_education": condition.min_education,
            "min_years_in_title": condition.min_years_in_title,
            "min_achievements": condition.min_achievements,
        },
    )
    condition.delete()
