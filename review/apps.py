from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("审核推荐")

    def ready(self) -> None:
        # Unit publicity periods that have run their course end in the sweep (R6.3).
        from review.publicity import publicity_release_due
        from review.sweep import register_sweep_step

        register_sweep_step("publicity_released", publicity_release_due)
