"""People (real-name users) and the organisations of every routing chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import AdminLevel, District, OrgKind
from accounts.validators import mask_id_number, validate_id_number, validate_phone


class User(AbstractUser):
    """A real-name person (R3.1): the ID number is unique and fixed once bound."""

    real_name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(
        _("身份证号码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_id_number],
        help_text=_("实名注册：一经绑定不可修改。"),
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, validators=[validate_phone])

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")

    @property
    def active_binding(self) -> TitleAdministrator | None:
        """The organisation this person administers titles for, if any (R3.2)."""
        cached = getattr(self, "_active_binding_cache", False)
        if cached is not False:
            return cached
        binding = (
            TitleAdministrator.objects.select_related("organisation")
            .filter(user=self, is_active=True)
            .first()
            if self.pk
            else None
        )
        self._active_binding_cache = binding
        return binding

    @property
    def administered_organisation(self) -> Organisation | None:
        binding = self.active_binding
        return binding.organisation if binding else None


class Organisation(models.Model):
    """Any node of a routing chain (R3.3), registered once on the platform (R3.1)."""

    name = models.CharField(_("机构名称"), max_length=200)
    kind = models.CharField(_("机构类型"), max_length=32, choices=OrgKind.choices, db_index=True)
    level = models.CharField(
        _("层级"), max_length=16, choices=AdminLevel.choices, default=AdminLevel.DISTRICT
    )
    district = models.CharField(_("所在区县"), max_length=6, choices=District.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True
    )
    superior = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20, validators=[validate_phone])
    complaint_phone = models.CharField(_("投诉电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("注册人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_kind_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TitleAdministrator(models.Model):
    """The binding of a person to the organisation they administer titles for (R3.2)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="bindings",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="administrators",
    )
    is_active = models.BooleanField(_("在岗"), default=True)
    bound_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    unbound_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职称管理员")
        verbose_name_plural = _("职称管理员")
        constraints = [
            # A person administers for one organisation at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="one_active_binding_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.user.__dict__.pop("_active_binding_cache", None)
