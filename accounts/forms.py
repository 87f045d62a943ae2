"""Forms of the account pages: a person's registration, an organisation's, the directory filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, User
from accounts.services import SELF_REGISTERED_KINDS
from accounts.validators import normalise_id_number, validate_id_number, validate_phone
from core.forms import PlatformForm

BLANK_CHOICE = [("", _("全部"))]


class RegisterForm(PlatformForm):
    """A real-name person's one-time registration (R3.1)."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        help_text=_("用于登录，150个字符以内，可用字母、数字及 @/./+/-/_。"),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全为数字，不能过于常见或与个人信息相似。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    real_name = forms.CharField(
        label=_("真实姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("居民身份证号码"),
        max_length=18,
        validators=[validate_id_number],
        help_text=_("实名注册：一个身份证号码只能注册一次，绑定后不可修改（R3.1）。"),
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data["id_number"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                real_name=cleaned.get("real_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def service_kwargs(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "password": data["password1"],
            "real_name": data["real_name"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "email": data.get("email", ""),
        }


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations labelled with their district, so two of the same name can be told apart."""

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name}（{obj.get_kind_display()}，{obj.get_district_display()}）"


class OrganisationRegisterForm(PlatformForm):
    """An organisation registered by the person who becomes its title administrator (R3.2)."""

    name = forms.CharField(label=_("机构名称"), max_length=200)
    kind = forms.ChoiceField(
        label=_("机构类型"),
        choices=[(value, label) for value, label in OrgKind.choices if value in SELF_REGISTERED_KINDS],
        help_text=_("评委会组建单位和核准机构由职称办统一设置，不在此注册（R3.3）。"),
    )
    level = forms.ChoiceField(
        label=_("层级"),
        choices=AdminLevel.choices,
        initial=AdminLevel.DISTRICT,
        help_text=_("主管部门须如实选择市级或区县级，它决定申报程序（R4.1、R4.2）。"),
    )
    district = forms.ChoiceField(label=_("所在区县"), choices=District.choices)
    superior = OrganisationChoiceField(
        label=_("上级机构"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("（无）"),
    )
    contact_person = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        validators=[validate_phone],
        help_text=_("申报人在“我的申请书”中可看到当前审核机构的联系人和电话（R5.3）。"),
    )
    complaint_phone = forms.CharField(
        label=_("投诉电话"),
        max_length=20,
        required=False,
        help_text=_("公示时向社会公布的投诉电话（R6.3）。"),
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["superior"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "kind", "district", "name"
        )

    def clean_credit_code(self) -> str | None:
        return self.cleaned_data["credit_code"].strip().upper() or None


class OrganisationFilterForm(PlatformForm):
    """Filters of the public organisation directory."""

    q = forms.CharField(label=_("名称"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("机构类型"), choices=BLANK_CHOICE + OrgKind.choices, required=False)
    district = forms.ChoiceField(label=_("所在区县"), choices=BLANK_CHOICE + District.choices, required=False)
