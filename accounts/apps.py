from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与机构")

    def ready(self) -> None:
        # Sessions note their login time as they start (core/security.py, docs/reliability.md).
        import core.security  # noqa: F401
