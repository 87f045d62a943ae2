"""Input and output serializers of the accounts API, one pair per endpoint (R3)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from accounts.enums import AdminLevel, District, OrgKind
from accounts.models import Organisation, User


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>` on every later request."
    )


class UserRegisterInputSerializer(serializers.Serializer):
    """A person registering once with their real name and resident ID (R3.1)."""

    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )
    real_name = serializers.CharField(max_length=50)
    # The format, birth date and check digit are checked by the service, which answers
    # id_number_format / id_number_birth_date / id_number_check_digit; the length limit
    # here only keeps absurd input out.
    id_number = serializers.CharField(
        max_length=32, help_text="18-character resident ID number; fixed once registered."
    )
    phone = serializers.CharField(max_length=20, help_text="Mobile number or landline with area code.")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Django's password validators, with the person's own data for the similarity check.
        candidate = User(
            username=attrs["username"], real_name=attrs["real_name"], email=attrs.get("email", "")
        )
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {"password": [ErrorDetail(e.messages[0], code=e.code) for e in exc.error_list]}
            ) from None
        return attrs


class OrganisationBriefSerializer(serializers.Serializer):
    """An organisation as other objects refer to it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrgKind.choices)


class OrganisationOutputSerializer(serializers.Serializer):
    """An organisation of the public directory, with whom to contact (R3.4, R5.3)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    level = serializers.ChoiceField(choices=AdminLevel.choices)
    level_display = serializers.CharField(source="get_level_display")
    district = serializers.ChoiceField(choices=District.choices)
    district_display = serializers.CharField(source="get_district_display")
    superior = OrganisationBriefSerializer(allow_null=True)
    contact_person = serializers.CharField()
    contact_phone = serializers.CharField()
    complaint_phone = serializers.CharField()


class UserOutputSerializer(serializers.Serializer):
    """A person; the ID number is masked to its first 6 and last 4 characters."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField()
    id_number = serializers.CharField(
        source="masked_id_number", help_text="Masked: first 6 and last 4 characters only."
    )
    phone = serializers.CharField()
    email = serializers.CharField()


class MeOutputSerializer(UserOutputSerializer):
    administered_organisation = OrganisationOutputSerializer(
        allow_null=True,
        help_text="The organisation this person is title administrator of (R3.2), if any.",
    )


class OrganisationFilterInputSerializer(serializers.Serializer):
    """Query parameters of the organisation directory."""

    kind = serializers.ChoiceField(choices=OrgKind.choices, required=False)
    district = serializers.ChoiceField(choices=District.choices, required=False)
    search = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Part of the name."
    )


class OrganisationRegisterInputSerializer(serializers.Serializer):
    """An organisation registered by the person who becomes its title administrator (R3.2)."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=OrgKind.choices,
        help_text="Committee hosts and approval bodies are set up by the title office and "
        "refused here (`organisation_kind_not_registrable`).",
    )
    level = serializers.ChoiceField(choices=AdminLevel.choices, default=AdminLevel.DISTRICT)
    district = serializers.ChoiceField(choices=District.choices)
    superior = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    credit_code = serializers.CharField(
        max_length=18, required=False, allow_blank=True, allow_null=True, default=None
    )
    contact_person = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20)
    complaint_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def validate_credit_code(self, value: str | None) -> str | None:
        value = (value or "").strip().upper() or None
        # The column is unique; refuse here rather than fail on the constraint.
        if value and Organisation.objects.filter(credit_code=value).exists():
            raise serializers.ValidationError(
                _("该统一社会信用代码已注册，请联系该机构现任职称管理员（R3.1）。"),
                code="credit_code_registered",
            )
        return value
