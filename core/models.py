"""What every app shares: the append-only audit trail and the office's holiday calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The years an office calendar row may name: wide enough for any campaign, narrow enough
# to catch a mistyped year in the admin.
CALENDAR_FIRST_YEAR = 2000
CALENDAR_LAST_YEAR = 2100


class AuditQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: the trail is append-only."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One row per state change or decision; rows are never updated or deleted.

    The model and its queryset refuse updates and deletes, and on PostgreSQL a trigger
    refuses them too (migration core 0004), so not even raw SQL rewrites history.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.from_state}->{self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit events are append-only.")


class CalendarYear(models.Model):
    """One year of the State Council's holiday notice as the title office entered it (R9.1).

    A year the ``chinesecalendar`` package does not know counts as covered only once the
    office has entered the notice's days as ``CalendarDay`` rows and marked the year
    published; until then every period reaching into it is refused (``core.workdays``).
    """

    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        validators=[MinValueValidator(CALENDAR_FIRST_YEAR), MaxValueValidator(CALENDAR_LAST_YEAR)],
    )
    published = models.BooleanField(
        _("已发布并录入"),
        default=False,
        help_text=_("该年的放假和调休日期已全部录入为日历调整后再勾选；勾选后该年按录入内容计算工作日。"),
    )
    source = models.CharField(
        _("通知文号"),
        max_length=100,
        blank=True,
        help_text=_("例如：国办发明电〔2024〕12号。标记为已发布时必填。"),
    )
    notice = models.TextField(_("通知内容"), blank=True)

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=CALENDAR_FIRST_YEAR, year__lte=CALENDAR_LAST_YEAR),
                name="core_calendaryear_year_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        """Refuse to publish a year without its document number or without its holidays."""
        super().clean()
        if not self.published:
            return
        if not self.source.strip():
            raise ValidationError({"source": _("标记为已发布时必须填写通知文号。")})
        # Imported here: core.workdays reads these models.
        from core.workdays import package_covers

        if self.year is None or package_covers(self.year):
            return
        # R9.1: a published year the package does not know, without a single holiday row,
        # would silently count plain weekends, which is exactly what the rule forbids.
        if not CalendarDay.objects.filter(date__year=self.year, is_working_day=False).exists():
            raise ValidationError(
                {
                    "published": _(
                        "%(year)s年还没有录入任何放假日期：请先在“日历调整”中录入该年通知中的"
                        "全部放假和调休上班日期，再标记为已发布。"
                    )
                    % {"year": self.year}
                }
            )


class CalendarDay(models.Model):
    """The office's override of one day: a holiday or an adjusted working day (R9.1).

    A row wins over the ``chinesecalendar`` package; in a year the package does not
    know, the rows are the notice itself and take effect when the year is published.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("工作日"), help_text=_("勾选表示当天上班（如调休上班），不勾选表示当天放假。")
    )
    note = models.CharField(_("说明"), max_length=64, help_text=_("例如：国庆节、调休上班。"))
    source = models.CharField(
        _("通知文号"), max_length=100, blank=True, help_text=_("例如：国办发明电〔2024〕12号。")
    )

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    date__gte=datetime.date(CALENDAR_FIRST_YEAR, 1, 1),
                    date__lte=datetime.date(CALENDAR_LAST_YEAR, 12, 31),
                ),
                name="core_calendarday_date_range",
            ),
        ]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}"

    def clean(self) -> None:
        """Keep the date inside the years the platform can count."""
        super().clean()
        if self.date is not None and not CALENDAR_FIRST_YEAR <= self.date.year <= CALENDAR_LAST_YEAR:
            raise ValidationError(
                {
                    "date": _("日期必须在%(first)s年至%(last)s年之间。")
                    % {"first": CALENDAR_FIRST_YEAR, "last": CALENDAR_LAST_YEAR}
                }
            )


class Notification(models.Model):
    """A message to one person in the platform's inbox, also sent by email.

    The row is written in the transaction of the event that caused it, so an event is
    never lost; the email goes out after commit, and ``emailed_at`` stays empty until it
    has, so a later sweep can send what a broker or mail outage held back.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("邮件发送次数"), default=0)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"]),
            models.Index(
                fields=["created_at"],
                name="notification_unsent_idx",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationTemplate(models.Model):
    """The office's own wording of one kind of notification (docs/notifications.md).

    ``kind`` is one of the strings the services pass to ``core.notifications.notify``
    (``NOTIFICATION_KINDS``). Subject and body are Django templates rendered with plain
    strings only (the variables listed in the docs); a kind without an active template
    keeps the code's wording. The rendered text is what the inbox shows and the email
    carries.
    """

    kind = models.CharField(_("通知类型"), max_length=64, unique=True)
    subject = models.CharField(
        _("标题模板"),
        max_length=300,
        help_text=_("Django 模板语法，例如：{{ title }}。渲染后只取第一行，最多200字。"),
    )
    body = models.TextField(
        _("正文模板"),
        blank=True,
        help_text=_("Django 模板语法，可用变量见“通知模板”说明，例如：{{ recipient_name }}：{{ body }}"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind

    def clean(self) -> None:
        """Refuse an unknown kind and a subject or body that does not render."""
        super().clean()
        # Imported here: core.notifications imports this module.
        from core.notifications import NOTIFICATION_KINDS, template_errors

        if self.kind and self.kind not in NOTIFICATION_KINDS:
            raise ValidationError({"kind": _("未知的通知类型：%(kind)s。") % {"kind": self.kind}})
        errors = template_errors(subject=self.subject or "", body=self.body or "")
        if errors:
            raise ValidationError(errors)
