from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards by role, campaign statistics and Excel exports (issue 7)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("统计与导出")
