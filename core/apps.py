from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共")

    def ready(self) -> None:
        from core.notifications import notifications_requeue
        from review.sweep import register_sweep_step

        # Emails a broker or mail outage left unsent go out again (docs/notifications.md).
        register_sweep_step("notifications_requeued", notifications_requeue)
