from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("评审委员会")

    def ready(self) -> None:
        # Results publicity periods that have run their course end in the sweep (R8.1).
        from committees.outcomes import results_publicity_release_due
        from review.sweep import register_sweep_step

        register_sweep_step("results_publicity_released", results_publicity_release_due)
