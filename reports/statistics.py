"""The campaign in numbers, for the title office and the committee host.

Scope (docs/dashboards-and-exports.md): the office's superusers see every campaign; a
committee host's administrators see the campaigns their organisation hosts. Only counts
leave this module, never a person, so a host also counts the declarations still on their
chains (it organises the campaign); drafts are never counted (nobody has filed them).
Everything is grouped in the database: the number of queries does not grow with the
number of declarations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import District, OrgKind
from accounts.models import User
from committees.enums import ConfirmationState, MeetingState
from committees.models import ConfirmationNotice, Meeting
from committees.outcomes import REPORT_WORKING_DAYS, meeting_day
from declarations.enums import Field, Level, State
from declarations.models import Campaign, Declaration
from reports.workdays import add_working_days_many

# R7.3: a candidate passed at the meeting stays "passed" through publicity and confirmation.
PASSED_STATES = [State.PASSED, State.RESULTS_PUBLICITY, State.CONFIRMED, State.CERTIFIED]
ON_CHAIN_STATES = [State.IN_REVIEW, State.RETURNED, State.UNIT_PUBLICITY]


def campaign_list_for_statistics(user: User) -> QuerySet[Campaign]:
    """Campaigns whose numbers the person may see: all for the office, its own for a host."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.select_related("committee_host").order_by("-year", "-filing_opens_at", "-pk")
    org = user.administered_organisation
    if org is None or org.kind != OrgKind.COMMITTEE_HOST:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(committee_host=org)
        .select_related("committee_host")
        .order_by("-year", "-filing_opens_at", "-pk")
    )


def campaign_get_for_statistics(user: User, pk: int | str) -> Campaign:
    try:
        return campaign_list_for_statistics(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_see_statistics(user: User) -> bool:
    if not user.is_authenticated:
        return False
    org = user.administered_organisation
    return user.is_superuser or (org is not None and org.kind == OrgKind.COMMITTEE_HOST)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its value, and its share of the largest bar."""

    key: str
    label: str
    value: float
    text: str
    share: float  # 0..1 of the longest bar

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "value": self.value}


def _bars(rows: list[tuple[str, str, float, str]]) -> list[Bar]:
    top = max((r[2] for r in rows), default=0) or 1
    return [Bar(key, str(label), value, text, value / top) for key, label, value, text in rows]


def _counted(counts: dict[str, int], labels: dict[str, str]) -> list[Bar]:
    rows = [(k, labels.get(k, k or _("未填写")), float(n), str(n)) for k, n in counts.items() if n]
    return _bars(rows)


def _group(qs: QuerySet[Declaration], key: str) -> dict[str, int]:
    return {
        (row[key] or ""): row["n"] for row in qs.order_by().values(key).annotate(n=Count("pk")).order_by(key)
    }


@dataclass
class CampaignStatistics:
    campaign: Campaign
    total: int
    by_state: list[Bar]
    by_step: list[Bar]
    by_level: list[Bar]
    by_field: list[Bar]
    by_district: list[Bar]
    pass_rates: list[Bar]
    pass_table: list[dict[str, object]]
    overdue: list[Bar]

    def charts(self) -> list[tuple[str, str, list[Bar]]]:
        return [
            ("by_state", _("按状态"), self.by_state),
            ("by_step", _("逐级审核中的申报（按当前审核机构类型）"), self.by_step),
            ("by_level", _("按申报级别"), self.by_level),
            ("by_field", _("按专业领域"), self.by_field),
            ("by_district", _("按用人单位所在区县"), self.by_district),
            ("pass_rates", _("评审通过率（%，按级别）"), self.pass_rates),
            ("overdue", _("逾期事项"), self.overdue),
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "campaign": {"id": self.campaign.pk, "name": self.campaign.name, "year": self.campaign.year},
            "total": self.total,
            **{key: [b.as_dict() for b in bars] for key, _title, bars in self.charts()},
            "pass_table": self.pass_table,
        }


def campaign_statistics(campaign: Campaign, *, now: datetime.datetime | None = None) -> CampaignStatistics:
    """Count the campaign's filed declarations every way the office asks (issue 7)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    filed = Declaration.objects.filter(campaign=campaign).exclude(state=State.DRAFT)
    by_state = _group(filed, "state")
    total = sum(by_state.values())
    state_labels = dict(State.choices)
    ordered_states = {s.value: by_state.get(s.value, 0) for s in State}
    on_chain = filed.filter(state__in=ON_CHAIN_STATES)
    by_step = _group(on_chain.filter(current_organisation__isnull=False), "current_organisation__kind")
    by_level = _group(filed, "level")
    by_field = _group(filed, "field")
    by_district = _group(filed, "unit__district")

    outcome_rows = (
        filed.filter(state__in=[*PASSED_STATES, State.FAILED])
        .order_by()
        .values("level")
        .annotate(
            passed=Count("pk", filter=Q(state__in=PASSED_STATES)),
            failed=Count("pk", filter=Q(state=State.FAILED)),
        )
        .order_by("level")
    )
    outcomes = {r["level"]: (r["passed"], r["failed"]) for r in outcome_rows}
    level_labels = dict(Level.choices)
    pass_table: list[dict[str, object]] = []
    rate_rows: list[tuple[str, str, float, str]] = []
    for level in Level:
        passed, failed = outcomes.get(level.value, (0, 0))
        if passed + failed == 0:
            continue
        rate = round(100 * passed / (passed + failed), 1)
        pass_table.append(
            {
                "level": level.value,
                "label": str(level.label),
                "passed": passed,
                "failed": failed,
                "rate": rate,
            }
        )
        rate_rows.append((level.value, str(level.label), rate, f"{rate}%"))
    all_passed = sum(p for p, _f in outcomes.values())
    all_reviewed = sum(p + f for p, f in outcomes.values())
    if all_reviewed:
        rate = round(100 * all_passed / all_reviewed, 1)
        pass_table.append(
            {
                "level": "",
                "label": _("合计"),
                "passed": all_passed,
                "failed": all_reviewed - all_passed,
                "rate": rate,
            }
        )
        rate_rows.append(("all", _("合计"), rate, f"{rate}%"))

    overdue_counts = filed.aggregate(
        returned=Count("pk", filter=Q(state=State.RETURNED, correction_due_at__lte=now)),
        chain=Count(
            "pk",
            filter=Q(state__in=[State.IN_REVIEW, State.UNIT_PUBLICITY])
            & Q(campaign__chain_deadline__lte=now),
        ),
    )
    meetings = list(
        Meeting.objects.filter(campaign=campaign, state=MeetingState.SIGNED, review_report__isnull=True).only(
            "pk", "scheduled_at"
        )
    )
    due_days = add_working_days_many([meeting_day(m) for m in meetings], REPORT_WORKING_DAYS)
    late_reports = sum(1 for due in due_days if due is not None and due < today)
    late_notices = ConfirmationNotice.objects.filter(
        meeting__campaign=campaign, state=ConfirmationState.DRAFT, due_on__lt=today
    ).count()
    overdue = _bars(
        [
            (k, label, float(n), str(n))
            for k, label, n in [
                ("returned", _("补正期限已过"), overdue_counts["returned"]),
                ("chain", _("超过报送评委会截止仍在逐级审核"), overdue_counts["chain"]),
                ("report", _("评审情况报告逾期未报送（R8.1）"), late_reports),
                ("confirmation", _("核准通知逾期未印发（R8.2）"), late_notices),
            ]
        ]
    )

    return CampaignStatistics(
        campaign=campaign,
        total=total,
        by_state=_counted(ordered_states, state_labels),
        by_step=_counted(by_step, dict(OrgKind.choices)),
        by_level=_counted({lv.value: by_level.get(lv.value, 0) for lv in Level}, level_labels),
        by_field=_counted(by_field, dict(Field.choices)),
        by_district=_counted(by_district, dict(District.choices)),
        pass_rates=_bars(rate_rows),
        pass_table=pass_table,
        overdue=overdue,
    )
