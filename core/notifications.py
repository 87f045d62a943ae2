"""Tell people what needs them: an inbox row now, an email after commit.

The ``Notification`` row is the outbox. ``notify`` writes it in the transaction of the
event, worded by the office's ``NotificationTemplate`` for its kind when there is one;
after commit a Celery task emails it (``core.tasks.send_notification_emails``, retried
with backoff). An email is sent at most once per row: the sender holds the row's lock
while it sends and marks it sent in the same transaction, and skips a row another
worker holds. A row a broker or mail outage left unsent is re-queued by the sweep step
``notifications_requeue`` (registered in ``core.apps``). docs/notifications.md.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Notification, NotificationTemplate

logger = logging.getLogger(__name__)

# After this many failed sends a row is left to the inbox alone (and the logs).
MAX_EMAIL_ATTEMPTS = 5
# The sweep leaves rows younger than this to the task queued after commit.
REQUEUE_AFTER = datetime.timedelta(minutes=2)
# Rows the sweep re-queues in one run, and per task.
REQUEUE_LIMIT = 2000
REQUEUE_CHUNK = 100


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification: who receives it and why (shown in the admin)."""

    label: object
    recipients: object


# Every ``kind`` the services pass to ``notify``; tests/core/test_notification_templates.py
# checks the code uses no other. Templates are keyed by these strings.
NOTIFICATION_KINDS: dict[str, NotificationKind] = {
    "review_waiting": NotificationKind(_("申报待本机构审核"), _("当前审核机构的职称管理员")),
    "declaration_reminder": NotificationKind(_("申报人催办"), _("当前审核机构的职称管理员")),
    "declaration_return_for_correction": NotificationKind(_("申报被退回补正"), _("申报人")),
    "declaration_refuse": NotificationKind(_("申报不予推荐"), _("申报人")),
    "declaration_accept": NotificationKind(_("评委会受理申报"), _("申报人")),
    "declaration_not_accept": NotificationKind(_("评委会不予受理"), _("申报人")),
    "declaration_terminate": NotificationKind(_("终止评审"), _("申报人")),
    "declaration_abandon": NotificationKind(_("逾期未补正，视为放弃"), _("申报人")),
    "declaration_pass_review": NotificationKind(_("评审会议表决通过"), _("申报人")),
    "declaration_fail_review": NotificationKind(_("评审会议表决未通过"), _("申报人")),
    "publicity_started": NotificationKind(_("进入单位公示"), _("公示人选（申报人）")),
    "publicity_complaint": NotificationKind(
        _("单位公示收到投诉"), _("用人单位及其上级机构的职称管理员")
    ),
    "publicity_complaint_groundless": NotificationKind(_("公示投诉经核查不属实"), _("申报人")),
    "committee_invitation": NotificationKind(_("评审会议邀请"), _("抽中的评审专家")),
    "review_report": NotificationKind(_("评审情况报告已报送"), _("核准机构的职称管理员")),
    "results_publicity_started": NotificationKind(_("评审结果进入公示"), _("通过评审的申报人")),
    "results_publicity_mirror": NotificationKind(_("评审结果同步公示"), _("核准机构的职称管理员")),
    "results_complaint": NotificationKind(
        _("评审结果公示收到投诉"), _("评委会组建单位和核准机构的职称管理员")
    ),
    "results_complaint_groundless": NotificationKind(_("结果公示投诉经核查不属实"), _("申报人")),
    "confirmation_drafted": NotificationKind(_("报请核准评审结果"), _("核准机构的职称管理员")),
    "confirmation_issued": NotificationKind(_("评审结果已核准"), _("申报人")),
    "confirmation_filed": NotificationKind(_("自主评审结果确认备案"), _("核准机构的职称管理员")),
    "confirmation_letter": NotificationKind(_("受委托评审结果函"), _("委托单位的职称管理员")),
    "review_form_issued": NotificationKind(_("评审表已生成"), _("申报人")),
    "certificate_issued": NotificationKind(_("电子证书已颁发"), _("申报人")),
    "certificate_revoked": NotificationKind(_("电子证书被撤销"), _("申报人")),
}

# The variables every template may use (docs/notifications.md); a caller may add more
# with ``notify(context=...)``.
TEMPLATE_VARIABLES: dict[str, object] = {
    "recipient_name": _("收件人姓名"),
    "kind": _("通知类型"),
    "title": _("程序生成的标题"),
    "body": _("程序生成的正文（可能为空）"),
    "url": _("相关页面的路径"),
    "link": _("相关页面的完整链接"),
    "site_url": _("平台地址"),
}

# A sandbox: the builtin tags and filters only ({% load %} finds nothing, no loaders,
# so no {% include %}), no autoescaping (the output is plain text), and only strings in
# the context, so a template cannot reach into a model.
_ENGINE = Engine(autoescape=False, string_if_invalid="")


def _render(source: str, variables: Mapping[str, str]) -> str:
    return _ENGINE.from_string(source).render(Context(dict(variables), autoescape=False))


def template_errors(*, subject: str, body: str) -> dict[str, str]:
    """Return ``{field: message}`` for a subject or body that does not render."""
    sample = {name: str(label) for name, label in TEMPLATE_VARIABLES.items()}
    errors: dict[str, str] = {}
    for field, source in (("subject", subject), ("body", body)):
        try:
            text = _render(source, sample)
        except (TemplateSyntaxError, ValueError, TypeError, LookupError) as exc:
            errors[field] = str(_("模板有语法错误：%(error)s")) % {"error": exc}
            continue
        if field == "subject" and not text.strip():
            errors[field] = str(_("标题模板渲染后为空。"))
    return errors


def _variables(recipient: object, kind: str, title: str, body: str, url: str,
               context: Mapping[str, object] | None) -> dict[str, str]:
    values = {
        "recipient_name": str(recipient),
        "kind": kind,
        "title": title,
        "body": body,
        "url": url,
        "link": f"{settings.SITE_URL}{url}" if url else "",
        "site_url": settings.SITE_URL,
    }
    for key, value in (context or {}).items():
        values.setdefault(str(key), "" if value is None else str(value))
    return values


def _worded(template: NotificationTemplate | None, recipient: object, kind: str, title: str,
            body: str, url: str, context: Mapping[str, object] | None) -> tuple[str, str]:
    """Return (title, body) in the office's wording, or the code's when it has none."""
    title, body = str(title), str(body)
    if template is None:
        return title[:200], body
    variables = _variables(recipient, kind, title, body, url, context)
    try:
        subject = _render(template.subject, variables).strip().splitlines()
        text = _render(template.body, variables) if template.body else body
    except Exception:  # noqa: BLE001 - a broken template must never lose the event:
        # the code's wording goes out instead and the log says which template failed.
        logger.exception("notification template %s failed; using the code's text", kind)
        return title[:200], body
    return ((subject[0].strip() if subject else "") or title)[:200], text


def _templates(kinds: Iterable[str]) -> dict[str, NotificationTemplate]:
    wanted = set(kinds)
    return {t.kind: t for t in NotificationTemplate.objects.filter(kind__in=wanted, is_active=True)}


def notify(
    *,
    recipients: Iterable[object],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    context: Mapping[str, object] | None = None,
) -> list[Notification]:
    """Write one inbox row per recipient and queue their emails for after commit.

    Call inside the transaction of the event: if it rolls back, nobody is told. The
    office's template for ``kind`` (if any) words the row; ``context`` adds variables
    to it beyond the common ones.
    """
    people = list({getattr(r, "pk", None): r for r in recipients if getattr(r, "pk", None)}.values())
    if not people:
        return []
    template = _templates([kind]).get(kind)
    rows = []
    for r in people:
        t, b = _worded(template, r, kind, title, body, url, context)
        rows.append(Notification(recipient=r, kind=kind, title=t, body=b, url=url))
    return _save_and_queue(rows)


def notify_each(items: Iterable[tuple[object, str, str, str, str]]) -> list[Notification]:
    """Like ``notify`` for many different messages at once: one bulk insert, one email task.

    ``items`` are ``(recipient, kind, title, body, url)``. Call inside the transaction of
    the events.
    """
    items = [item for item in items if getattr(item[0], "pk", None)]
    if not items:
        return []
    templates = _templates(kind for _r, kind, _t, _b, _u in items)
    rows = []
    for r, kind, title, body, url in items:
        t, b = _worded(templates.get(kind), r, kind, title, body, url, None)
        rows.append(Notification(recipient=r, kind=kind, title=t, body=b, url=url))
    return _save_and_queue(rows)


def notify_recipients(kind: str, items: Iterable[tuple[int, str, str, str]]) -> list[Notification]:
    """Like ``notify_each`` for one ``kind`` with recipients given by id: for thousands of rows.

    ``items`` are ``(recipient_id, title, body, url)``. The people are loaded (one query)
    only when the office has a template for ``kind`` that may name them; one bulk insert,
    and the emails queued after commit in tasks of ``EMAIL_TASK_CHUNK``. Call inside the
    transaction of the events.
    """
    items = [item for item in items if item[0]]
    if not items:
        return []
    from django.contrib.auth import get_user_model

    template = _templates([kind]).get(kind)
    people = get_user_model().objects.in_bulk({item[0] for item in items}) if template else {}
    rows = []
    for recipient_id, title, body, url in items:
        t, b = _worded(template, people.get(recipient_id), kind, title, body, url, None)
        rows.append(Notification(recipient_id=recipient_id, kind=kind, title=t, body=b, url=url))
    return _save_and_queue(rows)


# Emails per task when many rows are written at once (``notify_recipients``).
EMAIL_TASK_CHUNK = 500


def _save_and_queue(rows: list[Notification]) -> list[Notification]:
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    for start in range(0, len(ids), EMAIL_TASK_CHUNK):
        chunk = ids[start : start + EMAIL_TASK_CHUNK]
        transaction.on_commit(lambda chunk=chunk: _enqueue_emails(chunk))
    return created


def _enqueue_emails(ids: list[int]) -> bool:
    """Queue the emails of ``ids``; return False when the broker refused them."""
    from core.tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception as exc:  # noqa: BLE001 - a broker outage must not fail the request;
        # the rows stay unsent and the sweep step ``notifications_requeue`` re-queues them.
        # (With eager tasks a mail failure lands here too; the rows are just as unsent.)
        logger.warning(
            "notification emails not queued (%s); %d left for the sweep", type(exc).__name__, len(ids)
        )
        return False
    return True


def _message(n: Notification) -> EmailMultiAlternatives:
    link = f"{settings.SITE_URL}{n.url}" if n.url else ""
    context = {
        "recipient_name": str(n.recipient),
        "title": n.title,
        "body": n.body,
        "link": link,
        "site_url": settings.SITE_URL,
    }
    text = render_to_string("emails/notification.txt", context)
    html = render_to_string("emails/notification.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(n.title.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[n.recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email at most once; return whether it is done.

    Done means sent now, sent before, held by another sender, or nothing to send (no
    address, or given up after ``MAX_EMAIL_ATTEMPTS``). The row stays locked while the
    mail gateway is called and is marked sent in the same transaction, so two workers
    never both send it. A failure is counted on the row (outside the rolled-back
    transaction) and raised for the task to retry.
    """
    try:
        with transaction.atomic():
            n = (
                Notification.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True)
                .first()
            )
            if n is None or n.email_attempts >= MAX_EMAIL_ATTEMPTS:
                return True
            if not n.recipient.email:
                # Nobody to mail: the inbox row is the notification.
                Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
                return True
            _message(n).send()
            Notification.objects.filter(pk=n.pk).update(
                emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1
            )
            return True
    except Exception:
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            email_attempts=F("email_attempts") + 1
        )
        raise


def notifications_send(ids: Iterable[int]) -> list[int]:
    """Send each notification's email; return the ids whose send failed."""
    failed = []
    for pk in ids:
        try:
            notification_email_send(notification_id=pk)
        except Exception:  # noqa: BLE001 - one failing address must not stop the others
            logger.warning("notification %s: email failed", pk, exc_info=True)
            failed.append(pk)
    return failed


def _pending(now: datetime.datetime, limit: int) -> list[int]:
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
            created_at__lte=now - REQUEUE_AFTER,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_requeue(now: datetime.datetime) -> int:
    """Sweep step: queue again every email still unsent a while after its event.

    Safe to repeat: a row already sent, or being sent, is skipped by the sender. When
    the broker is down as well, the emails are sent from here instead. Returns how many
    rows were queued or sent.
    """
    ids = _pending(now, REQUEUE_LIMIT)
    for start in range(0, len(ids), REQUEUE_CHUNK):
        chunk = ids[start : start + REQUEUE_CHUNK]
        if not _enqueue_emails(chunk):
            notifications_send(chunk)
    return len(ids)


def notifications_resend() -> int:
    """Send every email still pending now, in this process; return how many were tried."""
    ids = _pending(timezone.now() + REQUEUE_AFTER, 1000)
    failed = notifications_send(ids)
    return len(ids) - len(failed)


def notification_mark_read(*, notification: Notification, actor: object) -> None:
    if notification.recipient_id == getattr(actor, "pk", None) and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
