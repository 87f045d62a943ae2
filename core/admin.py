"""Admin for the audit trail (read-only), the holiday calendar and the notifications."""

from __future__ import annotations

from typing import Any

import chinese_calendar
from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent, CalendarDay, CalendarYear, Notification, NotificationTemplate
from core.notifications import NOTIFICATION_KINDS, TEMPLATE_VARIABLES
from core.workdays import package_covers, year_is_covered


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, also here."""

    list_display = ["at", "actor", "action", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "content_type"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """The years of the State Council notice the office has entered (R9.1)."""

    list_display = ["year", "published", "source", "in_package", "days_entered"]
    list_filter = ["published"]
    search_fields = ["source", "notice"]
    ordering = ["-year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        days = (
            CalendarDay.objects.filter(date__year=OuterRef("year"))
            .order_by()
            .values("date__year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(days_entered=Coalesce(Subquery(days), 0))

    @admin.display(description=_("国务院日历已内置"), boolean=True)
    def in_package(self, obj: CalendarYear) -> bool:
        return package_covers(obj.year)

    @admin.display(description=_("已录入调整天数"), ordering="days_entered")
    def days_entered(self, obj: CalendarYear) -> int:
        return int(getattr(obj, "days_entered", 0))


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The office's holidays and adjusted working days; a row wins over the package (R9.1)."""

    list_display = ["date", "weekday", "is_working_day", "note", "source", "package_says"]
    list_filter = ["is_working_day"]
    search_fields = ["note", "source"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(_WEEKDAYS[obj.date.weekday()])

    @admin.display(description=_("国务院日历（内置）"))
    def package_says(self, obj: CalendarDay) -> str:
        if not package_covers(obj.date.year):
            return str(_("未内置"))
        return str(_("上班") if chinese_calendar.is_workday(obj.date) else _("放假"))

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        year = obj.date.year
        if not year_is_covered(year):
            self.message_user(
                request,
                _("%(year)s年尚未在“节假日安排年度”中标记为已发布，本条调整在发布前不会生效。")
                % {"year": year},
                messages.WARNING,
            )


_WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


# --- notifications (docs/notifications.md) --------------------------------------------------


def _kind_choices() -> list[tuple[str, str]]:
    return [
        (kind, f"{kind} · {info.label}（{info.recipients}）") for kind, info in NOTIFICATION_KINDS.items()
    ]


class NotificationTemplateForm(forms.ModelForm):
    """Offers the kinds the code sends; the model's ``clean`` checks the templates render."""

    kind = forms.ChoiceField(label=_("通知类型"), choices=_kind_choices)

    class Meta:
        model = NotificationTemplate
        fields = ["kind", "subject", "body", "is_active"]
        widgets = {"subject": forms.TextInput(attrs={"size": 80})}


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    """The office's wording of each kind of notification; without one the code's text is used."""

    form = NotificationTemplateForm
    list_display = ["kind", "kind_label", "subject", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["kind", "subject", "body"]
    readonly_fields = ["variables"]
    fields = ["kind", "subject", "body", "is_active", "variables"]

    @admin.display(description=_("说明"))
    def kind_label(self, obj: NotificationTemplate) -> str:
        info = NOTIFICATION_KINDS.get(obj.kind)
        return f"{info.label}（{info.recipients}）" if info else str(_("未知类型"))

    @admin.display(description=_("可用变量"))
    def variables(self, obj: NotificationTemplate | None = None) -> str:
        return format_html_join(
            "", "<div><code>{{{{ {} }}}}</code> {}</div>", ((k, v) for k, v in TEMPLATE_VARIABLES.items())
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: who was told what, and whether the email went out."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at", "email_attempts"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__real_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
