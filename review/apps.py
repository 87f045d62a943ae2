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

        # The cached public notice board shows batches and their units' names.
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Organisation
        from review.models import PublicityBatch
        from review.publicity import public_board_changed

        for model in (PublicityBatch, Organisation):
            uid = f"publicity-board-{model.__name__}"
            post_save.connect(public_board_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(public_board_changed, sender=model, dispatch_uid=uid)
