"""Input and output serializers of the certificates API."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates.enums import BatchKind, BatchState, CertificateStatus
from certificates.services import REVOKE_REASON_MAX
from declarations.enums import Field, Level


def _inline_choices(choices: type, description: str) -> type[serializers.ChoiceField]:
    """A ChoiceField documented as a string listing its values, not as an enum component:
    another app's ``kind`` and ``status`` enums would collide with it in the schema's
    components (the lead may replace this with ENUM_NAME_OVERRIDES entries)."""

    @extend_schema_field({"type": "string", "description": f"One of: {description}."})
    class InlineChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    return InlineChoiceField


CertificateStatusField = _inline_choices(CertificateStatus, "`valid` or `revoked`")
BatchKindField = _inline_choices(BatchKind, "`documents` (review form and certificate) or `review_forms`")
BatchStateField = _inline_choices(BatchState, "`running` or `finished`")


class CertificatePublicSerializer(serializers.Serializer):
    """What anyone may see of a certificate: no full ID number."""

    number = serializers.CharField()
    status = CertificateStatusField()
    holder_name = serializers.CharField()
    holder_id_masked = serializers.CharField()
    field = serializers.ChoiceField(choices=Field.choices)
    field_display = serializers.CharField(source="get_field_display")
    level = serializers.ChoiceField(choices=Level.choices)
    qualification = serializers.CharField()
    review_organisation = serializers.CharField()
    issuing_organisation = serializers.CharField(source="issuing_organisation_name")
    approval_document_number = serializers.CharField()
    obtained_on = serializers.DateField()
    issued_on = serializers.DateField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField()
    verification_url = serializers.SerializerMethodField()

    def get_verification_url(self, obj) -> str:  # type: ignore[no-untyped-def]
        from certificates.services import certificate_verification_url

        return certificate_verification_url(obj)


class CertificateOutputSerializer(CertificatePublicSerializer):
    """A certificate as its holder and the staff see it."""

    id = serializers.IntegerField()
    declaration = serializers.IntegerField(source="declaration_id")
    stored = serializers.BooleanField(source="is_stored")
    revoke_reason = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj) -> str | None:  # type: ignore[no-untyped-def]
        return reverse("api:certificate-pdf", args=[obj.pk]) if obj.is_stored else None


class ReviewFormOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    declaration = serializers.IntegerField(source="declaration_id")
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    pages = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj) -> str:  # type: ignore[no-untyped-def]
        return reverse("api:review-form-pdf", args=[obj.pk])


class DocumentsOutputSerializer(serializers.Serializer):
    declaration = serializers.IntegerField()
    state = serializers.CharField()
    review_form = ReviewFormOutputSerializer(allow_null=True)
    certificate = CertificateOutputSerializer(allow_null=True)


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REVOKE_REASON_MAX)


class IssueInputSerializer(serializers.Serializer):
    kind = BatchKindField(default=BatchKind.DOCUMENTS)


class BatchInputSerializer(serializers.Serializer):
    kind = BatchKindField(default=BatchKind.DOCUMENTS)


class BatchOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    kind = BatchKindField()
    state = BatchStateField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    skipped = serializers.IntegerField()
    failed = serializers.IntegerField()
    processed = serializers.IntegerField()
    percent = serializers.IntegerField()
    errors = serializers.DictField(child=serializers.CharField())
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class LookupInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=50)
