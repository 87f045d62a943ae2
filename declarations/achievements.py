"""Achievements (业绩成果): what counts (R2.5), their evidence (R8.6), and every write.

Rules, in one place each:

- R2.5: an achievement counts only if obtained *after* the current title; one obtained
  on the day of the current title or before is listed as not counted, with the reason.
  Whether it relates to the declared field is for the reviewers to judge.
- R8.6: each kind needs the evidence of ``declarations.enums.ACHIEVEMENT_EVIDENCE``;
  a counted achievement without it cannot be submitted.
- R6.6: once the declaration has been publicised (unit publicity), an achievement that
  was not publicised may not be added (``achievement_not_publicised``). "Publicised"
  means it existed when the publicity notice was published: created before the batch
  row (docs/achievements-and-evidence.md).

Only the applicant changes achievements, and only while the declaration is a draft or
returned for correction; each change writes an audit row on the declaration.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed
from core.services import audit_record
from declarations.enums import ACHIEVEMENT_EVIDENCE, AchievementKind, EvidencePurpose, State
from declarations.models import Achievement, Declaration, Evidence

# The applicant may change the material in these states only (R5.1, R6.1, R6.6).
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
ACHIEVEMENT_FIELDS = ("kind", "title", "obtained_on", "role", "description")
TITLE_MAX = 200
ROLE_MAX = 100
DESCRIPTION_MAX = 2000


# --- pure rules ---------------------------------------------------------------------------


def counts_after_title(
    obtained_on: datetime.date, title_obtained_on: datetime.date | None
) -> tuple[bool, str]:
    """Say whether an achievement obtained on ``obtained_on`` counts, and why not (R2.5).

    Only achievements obtained after the current title count: the day the title was
    obtained and every day before it do not. Without a current title (a first title)
    every achievement counts.
    """
    if title_obtained_on is None or obtained_on > title_obtained_on:
        return True, ""
    return False, _(
        "取得时间（%(on)s）不晚于现任职称取得时间（%(title)s），按规定只计算取得现职称后的业绩，不计入（R2.5）。"
    ) % {"on": obtained_on.isoformat(), "title": title_obtained_on.isoformat()}


def current_title_obtained_on(declaration: Declaration) -> datetime.date | None:
    """The date the applicant obtained the current title, if the declaration records one."""
    # Read defensively: the declaration may have no current title row.
    title = getattr(declaration, "current_title", None)
    return getattr(title, "obtained_on", None)


def missing_evidence(kind: str, purposes: set[str]) -> list[str]:
    """The requirements of ``kind`` (R8.6) that none of ``purposes`` satisfies, as labels."""
    return [
        _("或").join(str(EvidencePurpose(p).label) for p in group)
        for group in ACHIEVEMENT_EVIDENCE[kind]
        if not purposes.intersection(group)
    ]


@dataclass
class AchievementView:
    """An achievement as pages and the API show it: whether it counts, what it lacks."""

    achievement: Achievement
    counted: bool
    not_counted_reason: str
    missing_evidence: list[str]
    evidence: list[Evidence]
    publicised: bool | None


def achievement_list_for_declaration(declaration: Declaration) -> QuerySet[Achievement]:
    """The declaration's achievements with their evidence, in date order."""
    return declaration.achievements.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk"))
    ).order_by("obtained_on", "pk")


def publicised_at(declaration: Declaration) -> datetime.datetime | None:
    """When the declaration's unit publicity notice was published, or None (R6.3, R6.6).

    The moment the batch row was written is used, not the period's start: a publicity is
    published "now", and this moment is on the same clock as an achievement's
    ``created_at``.
    """
    from review.models import PublicityEntry

    entry = PublicityEntry.objects.filter(declaration=declaration).select_related("batch").first()
    return entry.batch.created_at if entry is not None else None


def achievement_views(declaration: Declaration) -> list[AchievementView]:
    """Every achievement of the declaration, assessed (R2.5, R8.6, R6.6)."""
    title_on = current_title_obtained_on(declaration)
    published = publicised_at(declaration)
    views = []
    for achievement in achievement_list_for_declaration(declaration):
        evidence = list(achievement.evidence.all())
        counted, reason = counts_after_title(achievement.obtained_on, title_on)
        views.append(
            AchievementView(
                achievement=achievement,
                counted=counted,
                not_counted_reason=reason,
                missing_evidence=missing_evidence(achievement.kind, {e.purpose for e in evidence}),
                evidence=evidence,
                publicised=None if published is None else achievement.created_at < published,
            )
        )
    return views


def _achievements_with_evidence(declaration: Declaration) -> list[tuple[Achievement, list[Evidence]]]:
    """Each achievement in date order with its evidence; from ``load_content`` if it ran."""
    cache = getattr(declaration, "_prefetched_objects_cache", {})
    if "achievements" in cache and "evidence" in cache:
        files: dict[int, list[Evidence]] = {}
        for e in sorted(cache["evidence"], key=lambda e: (e.created_at, e.pk)):
            files.setdefault(e.achievement_id, []).append(e)
        rows = sorted(cache["achievements"], key=lambda a: (a.obtained_on, a.pk))
        return [(a, files.get(a.pk, [])) for a in rows]
    return [(a, list(a.evidence.all())) for a in achievement_list_for_declaration(declaration)]


def achievements_refusal_for_submit(declaration: Declaration) -> ServiceError | None:
    """Refuse submission while a counted achievement lacks the evidence of its kind (R8.6).

    The same assessment as ``achievement_views`` without the publicity mark, which does
    not decide; reads the rows ``versions.load_content`` loaded when it ran.
    """
    title_on = current_title_obtained_on(declaration)
    for achievement, evidence in _achievements_with_evidence(declaration):
        counted, _reason = counts_after_title(achievement.obtained_on, title_on)
        if not counted:
            continue  # R2.5: not counted, so no evidence is required
        missing = missing_evidence(achievement.kind, {e.purpose for e in evidence})
        if missing:
            return ServiceError(
                "achievement_evidence_missing",
                _("业绩成果“%(title)s”缺少证明材料：%(missing)s（R8.6）。")
                % {"title": achievement.title, "missing": "、".join(missing)},
            )
    return None


# --- writes -------------------------------------------------------------------------------


def lock_for_material(declaration: Declaration, actor: User) -> Declaration:
    """Lock the declaration and check the actor may change its material now.

    Only the applicant, only while a draft or returned for correction. Must be called
    inside ``transaction.atomic``.
    """
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if locked.applicant_id != actor.pk:
        raise PermissionRefused("not_applicant", _("只有申报人本人可以修改申报材料。"))
    if locked.state not in EDITABLE_STATES:
        raise TransitionNotAllowed(
            "not_editable",
            _("当前状态为“%(state)s”，申报材料不能修改。") % {"state": locked.get_state_display()},
        )
    return locked


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ACHIEVEMENT_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("不能填写的字段：%s") % ", ".join(sorted(unknown)))
    cleaned = dict(fields)
    if "kind" in cleaned and cleaned["kind"] not in AchievementKind.values:
        raise ServiceError("invalid_choice", _("成果类型无效。"), field="kind")
    for name, limit, label in (
        ("title", TITLE_MAX, _("名称")),
        ("role", ROLE_MAX, _("本人角色/排名")),
        ("description", DESCRIPTION_MAX, _("简要说明")),
    ):
        if name in cleaned:
            value = (cleaned[name] or "").strip()
            if name != "description" and not value:
                raise ServiceError("required", _("请填写%s。") % label, field=name)
            if len(value) > limit:
                raise ServiceError(
                    "too_long", _("%(label)s最多%(n)d个字。") % {"label": label, "n": limit}, field=name
                )
            cleaned[name] = value
    if "obtained_on" in cleaned:
        on = cleaned["obtained_on"]
        if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
            raise ServiceError("invalid_date", _("请填写取得时间。"), field="obtained_on")
        # A date in the future cannot be an obtained achievement.
        if on > timezone.localdate():
            raise ServiceError(
                "date_in_future", _("取得时间不能晚于今天。"), field="obtained_on"
            )
    return cleaned


def _refuse_unless_publicised_may_add(declaration: Declaration) -> None:
    # R6.6: after publicity, material that was not publicised cannot be added.
    if publicised_at(declaration) is not None:
        raise ServiceError(
            "achievement_not_publicised",
            _("本申报已经过单位公示，未经公示的业绩成果不能补充（R6.6）。"),
        )


@transaction.atomic
def achievement_create(
    *,
    declaration: Declaration,
    actor: User,
    kind: str,
    title: str,
    obtained_on: datetime.date,
    role: str,
    description: str = "",
) -> Achievement:
    """Add an achievement to a draft or returned declaration (R2.5, R6.6)."""
    locked = lock_for_material(declaration, actor)
    fields = _clean(
        {"kind": kind, "title": title, "obtained_on": obtained_on, "role": role, "description": description}
    )
    _refuse_unless_publicised_may_add(locked)
    achievement = Achievement.objects.create(declaration=locked, **fields)
    audit_record(
        actor=actor,
        obj=locked,
        action="achievement_create",
        data={"achievement": achievement.pk, "kind": achievement.kind, "title": achievement.title},
    )
    return achievement


def _locked_achievement(declaration: Declaration, achievement: Achievement) -> Achievement:
    try:
        return Achievement.objects.select_for_update().get(pk=achievement.pk, declaration=declaration)
    except Achievement.DoesNotExist:
        raise ServiceError("achievement_not_found", _("该业绩成果不属于本申报。")) from None


@transaction.atomic
def achievement_update(
    *, declaration: Declaration, achievement: Achievement, actor: User, **fields: Any
) -> Achievement:
    """Change the fields given; the audit row keeps the values before and after.

    A publicised achievement may be corrected after publicity (R6.6 forbids adding new
    material, not correcting what was shown); a changed kind must still fit its files.
    """
    locked = lock_for_material(declaration, actor)
    row = _locked_achievement(locked, achievement)
    cleaned = _clean(fields)
    if "kind" in cleaned and cleaned["kind"] != row.kind:
        allowed = {p for group in ACHIEVEMENT_EVIDENCE[cleaned["kind"]] for p in group}
        if row.evidence.exclude(purpose__in=allowed).exists():
            raise ServiceError(
                "evidence_purpose_mismatch",
                _("该业绩成果已上传的证明材料不适用于新的成果类型，请先删除这些材料。"),
                field="kind",
            )
    changes = {
        name: [str(getattr(row, name)), str(value)]
        for name, value in cleaned.items()
        if getattr(row, name) != value
    }
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.save(update_fields=[*cleaned, "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="achievement_update",
        data={"achievement": row.pk, "changes": changes},
    )
    return row


@transaction.atomic
def achievement_delete(*, declaration: Declaration, achievement: Achievement, actor: User) -> None:
    """Delete an achievement and its evidence files (the files go once the delete commits)."""
    from declarations.evidence import delete_files_on_commit

    locked = lock_for_material(declaration, actor)
    row = _locked_achievement(locked, achievement)
    names = list(row.evidence.values_list("file", flat=True))
    data = {"achievement": row.pk, "kind": row.kind, "title": row.title, "files": len(names)}
    row.delete()
    delete_files_on_commit(names)
    audit_record(actor=actor, obj=locked, action="achievement_delete", data=data)
