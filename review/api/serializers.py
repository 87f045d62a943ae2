"""Input serializers of the review API; the answer is the declaration's output shape."""

from __future__ import annotations

from rest_framework import serializers

from review.enums import NotAcceptReason

REASON_MAX_LENGTH = 2000


def _reason(
    *, required: bool = False, help_text: str = "Opinion shown to the applicant."
) -> serializers.CharField:
    return serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=required,
        allow_blank=True,
        default=serializers.empty if required else "",
        help_text=help_text,
    )


def _defects() -> serializers.ListField:
    # Blank items are left to the service, which refuses a list with nothing in it
    # (`defects_required`), so the rule lives in one place.
    return serializers.ListField(
        child=serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True),
        max_length=100,
        help_text="Every defect at once (一次性告知, R6.1, R6.6); at least one.",
    )


class StepPassInputSerializer(serializers.Serializer):
    reason = _reason()


class StepReturnInputSerializer(serializers.Serializer):
    defects = _defects()
    reason = _reason()


class StepRefuseInputSerializer(serializers.Serializer):
    reason = _reason(required=True, help_text="Why it is not recommended (R6.1); required.")


class CommitteeAcceptInputSerializer(serializers.Serializer):
    reason = _reason()


class CommitteeNotAcceptInputSerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(
        choices=NotAcceptReason.choices, help_text="One of the reasons R6.6 names."
    )
    reason = _reason()


class CommitteeReturnInputSerializer(serializers.Serializer):
    defects = _defects()
    reason = _reason()
