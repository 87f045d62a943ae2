"""Excel (.xlsx) exports, each scoped through the selectors of the app that owns the data.

Every export takes the person who asks and the object's id, looks the object up through
the owning app's selector (``Http404`` outside the person's scope, never 403) and returns
an ``Export``: a file name in Chinese and the workbook's bytes.

ID numbers (R3.1) are masked as first 6 + asterisks + last 4 (``accounts.validators.
mask_id_number``) except for the roles that file the complete record: the title office's
superusers and the approval body's administrators (the confirmation notice and the
certificate-number record they keep under R8.2 identify each person). Units, competent
departments, district HR, agencies and committee hosts get masked numbers: the unit's
publicity list is a public notice (R6.3), and the host identifies candidates by the
declaration, not by the number. docs/dashboards-and-exports.md repeats this table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.enums import OrgKind
from accounts.models import User
from accounts.validators import mask_id_number
from certificates.models import Certificate
from certificates.selectors import certificate_list_for_user
from committees.models import Meeting, MeetingCandidate
from committees.outcomes import outcome_meeting_get_for_user
from declarations.enums import State
from declarations.models import Campaign, Declaration
from declarations.selectors import declaration_visible_for_user
from reports.statistics import CampaignStatistics, campaign_get_for_statistics, campaign_statistics
from review.publicity import publicity_batch_get_for_user

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


def sees_full_id_numbers(user: User) -> bool:
    """The office and the approval body file the complete record; everyone else sees masks."""
    if user.is_superuser:
        return True
    org = user.administered_organisation
    return org is not None and org.kind == OrgKind.APPROVAL_BODY


def _id_number(value: str | None, full: bool) -> str:
    return (value or "") if full else mask_id_number(value or "")


def _is_host_of(user: User, campaign: Campaign) -> bool:
    org = user.administered_organisation
    return org is not None and org.pk == campaign.committee_host_id


def _sheet(ws: Worksheet, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Fill a sheet: a title line, a bold header row, the rows, frozen header and widths."""
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(headers))
    for cell in ws[2]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    widths = [len(str(h)) * 2 + 2 for h in headers]
    for row in rows:
        values = ["" if v is None else v for v in row]
        ws.append(values)
        for i, v in enumerate(values[: len(widths)]):
            widths[i] = min(max(widths[i], len(str(v)) * 2 + 2), 60)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"


def _workbook_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _single(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    _sheet(ws, title, headers, rows)
    return _workbook_bytes(wb)


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def xlsx_response(export: Export) -> HttpResponse:
    """The workbook as an attachment; the Chinese file name goes in RFC 5987 ``filename*``."""
    response = HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.filename)
    response["Content-Length"] = str(len(export.content))
    response["Cache-Control"] = "private, no-store"
    return response


# -- 1. a unit's publicity list (R6.3) ---------------------------------------------------------


def export_publicity_batch(user: User, pk: int | str) -> Export:
    """The candidates of one unit publicity, for the unit or its superior department."""
    batch = publicity_batch_get_for_user(user, pk)
    full = sees_full_id_numbers(user)
    headers = [
        _("序号"),
        _("姓名"),
        _("身份证号码"),
        _("工作单位"),
        _("申报级别"),
        _("专业领域"),
        _("上级主管部门"),
        _("公示状态"),
    ]
    rows = [
        [
            i,
            e.declaration.applicant.real_name,
            _id_number(e.declaration.applicant.id_number, full),
            e.declaration.unit.name if e.declaration.unit else "",
            e.declaration.get_level_display(),
            e.declaration.get_field_display(),
            e.superior.name if e.superior else "",
            e.get_status_display(),
        ]
        for i, e in enumerate(batch.entries.all(), 1)
    ]
    title = _("%(title)s（%(unit)s）") % {"title": batch.title, "unit": batch.unit.name}
    return Export(
        _("单位公示名单-%(unit)s-%(day)s.xlsx") % {"unit": batch.unit.name, "day": _stamp()},
        _single(title, headers, rows),
    )


# -- 2. the committee's acceptance list (R6.5) -----------------------------------------------


def acceptance_declarations(user: User, campaign: Campaign) -> QuerySet[Declaration]:
    """Declarations of the campaign sent to its committee, as the host sees them."""
    if user.is_superuser:
        qs = Declaration.objects.filter(campaign=campaign)
    elif _is_host_of(user, campaign):
        qs = declaration_visible_for_user(user).filter(campaign=campaign)
    else:
        raise Http404
    return (
        qs.filter(committee_submissions__gt=0)
        .select_related("applicant", "unit")
        .order_by("unit__name", "applicant__real_name", "pk")
    )


def export_acceptance_list(user: User, campaign_pk: int | str) -> Export:
    campaign = _campaign_for_host_or_office(user, campaign_pk)
    full = sees_full_id_numbers(user)
    headers = [
        _("序号"),
        _("姓名"),
        _("身份证号码"),
        _("工作单位"),
        _("申报级别"),
        _("专业领域"),
        _("申报类型"),
        _("报送评委会次数"),
        _("受理情况"),
    ]
    accepted = {
        State.ACCEPTED,
        State.PASSED,
        State.FAILED,
        State.RESULTS_PUBLICITY,
        State.CONFIRMED,
        State.CERTIFIED,
    }
    rows = []
    for i, d in enumerate(acceptance_declarations(user, campaign), 1):
        status = _("已受理") if d.state in accepted else d.get_state_display()
        rows.append(
            [
                i,
                d.applicant.real_name,
                _id_number(d.applicant.id_number, full),
                d.unit.name if d.unit else "",
                d.get_level_display(),
                d.get_field_display(),
                d.get_declaration_type_display(),
                d.committee_submissions,
                status,
            ]
        )
    title = _("%(name)s 评委会受理名单") % {"name": campaign.name}
    return Export(
        _("评委会受理名单-%(name)s-%(day)s.xlsx") % {"name": campaign.name, "day": _stamp()},
        _single(title, headers, rows),
    )


def _campaign_for_host_or_office(user: User, pk: int | str) -> Campaign:
    return campaign_get_for_statistics(user, pk)


# -- 3. a meeting's results (R7.3, R7.4) -------------------------------------------------------


def _meeting_for(user: User, pk: int | str) -> Meeting:
    if user.is_authenticated and user.is_superuser:
        try:
            return Meeting.objects.select_related("committee", "campaign").get(pk=pk)
        except (Meeting.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
    return outcome_meeting_get_for_user(user, pk)


def export_meeting_results(user: User, pk: int | str) -> Export:
    """Each candidate's votes and outcome, for the host's staff and the approval body."""
    meeting = _meeting_for(user, pk)
    full = sees_full_id_numbers(user)
    candidates = (
        MeetingCandidate.objects.filter(meeting=meeting)
        .select_related("declaration__applicant", "declaration__unit", "result")
        .order_by("position", "pk")
    )
    headers = [
        _("序号"),
        _("姓名"),
        _("身份证号码"),
        _("工作单位"),
        _("申报级别"),
        _("专业领域"),
        _("有表决权专家数"),
        _("同意"),
        _("不同意"),
        _("弃权"),
        _("评审结果"),
    ]
    rows = []
    for c in candidates:
        d = c.declaration
        result = getattr(c, "result", None)
        rows.append(
            [
                c.position,
                d.applicant.real_name,
                _id_number(d.applicant.id_number, full),
                d.unit.name if d.unit else "",
                d.get_level_display(),
                d.get_field_display(),
                result.eligible if result else None,
                result.agree if result else None,
                result.disagree if result else None,
                result.abstain if result else None,
                result.get_outcome_display() if result else _("尚未表决"),
            ]
        )
    day = timezone.localtime(meeting.scheduled_at).strftime("%Y%m%d")
    title = _("%(committee)s 评审会议（%(day)s）评审结果") % {"committee": meeting.committee.name, "day": day}
    filename = _("评审结果-%(committee)s-%(day)s.xlsx") % {"committee": meeting.committee.name, "day": day}
    return Export(filename, _single(title, headers, rows))


# -- 4. the campaign statistics ------------------------------------------------------------------


def statistics_workbook(stats: CampaignStatistics) -> bytes:
    wb = Workbook()
    first = True
    for _key, title, bars in stats.charts():
        if _key == "pass_rates":
            continue
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title[:31].replace("/", "-")
        _sheet(
            ws,
            f"{stats.campaign.name} · {title}",
            [_("项目"), _("数量")],
            [[b.label, int(b.value)] for b in bars],
        )
    ws = wb.create_sheet(_("评审通过率"))
    _sheet(
        ws,
        f"{stats.campaign.name} · {_('评审通过率')}",
        [_("申报级别"), _("通过"), _("未通过"), _("通过率（%）")],
        [[r["label"], r["passed"], r["failed"], r["rate"]] for r in stats.pass_table],
    )
    return _workbook_bytes(wb)


def export_campaign_statistics(user: User, campaign_pk: int | str) -> Export:
    campaign = campaign_get_for_statistics(user, campaign_pk)
    stats = campaign_statistics(campaign)
    return Export(
        _("申报评审统计-%(name)s-%(day)s.xlsx") % {"name": campaign.name, "day": _stamp()},
        statistics_workbook(stats),
    )


# -- 5. the certificate-number record (R8.2) -------------------------------------------------------


def certificate_record(user: User, campaign: Campaign) -> QuerySet[Certificate]:
    """Certificates of the campaign issued by the person's organisation's committees.

    The staff part of ``certificate_list_for_user`` only: a holder's own certificate is
    not a record to file.
    """
    qs = certificate_list_for_user(user).filter(declaration__campaign=campaign)
    if not user.is_superuser:
        qs = qs.exclude(declaration__applicant=user)
    return qs.select_related("declaration__applicant", "committee").order_by("number")


def export_certificate_record(user: User, campaign_pk: int | str) -> Export:
    if not user.is_authenticated:
        raise Http404
    try:
        campaign = Campaign.objects.get(pk=campaign_pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    org = user.administered_organisation
    if not user.is_superuser and (
        org is None or org.pk not in (campaign.committee_host_id, campaign.approval_body_id)
    ):
        raise Http404
    full = sees_full_id_numbers(user)
    headers = [
        _("证书编号"),
        _("姓名"),
        _("身份证号码"),
        _("级别"),
        _("专业"),
        _("资格名称"),
        _("评委会"),
        _("批准文号"),
        _("取得资格时间"),
        _("发证日期"),
        _("状态"),
    ]
    rows = [
        [
            c.number,
            c.holder_name,
            c.declaration.applicant.id_number if full else c.holder_id_masked,
            c.get_level_display(),
            c.get_field_display(),
            c.qualification,
            c.committee.name,
            c.approval_document_number,
            c.obtained_on,
            c.issued_on,
            c.get_status_display(),
        ]
        for c in certificate_record(user, campaign)
    ]
    title = _("%(name)s 证书编号登记表") % {"name": campaign.name}
    return Export(
        _("证书编号登记表-%(name)s-%(day)s.xlsx") % {"name": campaign.name, "day": _stamp()},
        _single(title, headers, rows),
    )
