"""Certificate status and document batch kinds and states; imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """Whether an electronic certificate stands (R8.7)."""

    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class BatchKind(models.TextChoices):
    """What a meeting's document batch produces."""

    # Translators: the review forms (R8.4) and the electronic certificates (R8.7) together.
    DOCUMENTS = "documents", _("评审表及电子证书")
    REVIEW_FORMS = "review_forms", _("仅评审表")


class BatchState(models.TextChoices):
    """Where a document batch stands."""

    RUNNING = "running", _("生成中")
    FINISHED = "finished", _("已完成")
