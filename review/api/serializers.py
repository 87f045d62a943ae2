"""Input serializers of the review API; the answer is the declaration's output shape."""

from __future__ import annotations

from rest_framework import serializers

from declarations.enums import EducationLevel, Level
from review.bulk import MAX_BULK
from review.deadlines import DEFAULT_CORRECTION_WORKING_DAYS, MAX_CORRECTION_WORKING_DAYS
from review.enums import NotAcceptReason
from review.models import UnitCondition

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


def _deadline_working_days() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_CORRECTION_WORKING_DAYS,
        help_text="Correction deadline in working days, counted from the first working day "
        "after the return and ending at 24:00 (R9.1a). Give this or `deadline_date`; "
        f"neither means {DEFAULT_CORRECTION_WORKING_DAYS} working days.",
    )


def _deadline_date() -> serializers.DateField:
    return serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Correction deadline as a date, ending at 24:00 Asia/Shanghai; not before "
        "today. Past the deadline the declaration counts as abandoned (R6.1, R6.6).",
    )


class StepPassInputSerializer(serializers.Serializer):
    reason = _reason()


class StepReturnInputSerializer(serializers.Serializer):
    defects = _defects()
    reason = _reason()
    deadline_working_days = _deadline_working_days()
    deadline_date = _deadline_date()


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
    deadline_working_days = _deadline_working_days()
    deadline_date = _deadline_date()


class BulkPassInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=MAX_BULK,
        help_text=f"Declarations to pass at my step, at most {MAX_BULK}; each is its own transaction.",
    )


class BulkPassResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    passed = serializers.BooleanField()
    state = serializers.CharField(help_text="The new state when passed, else empty.")
    code = serializers.CharField(
        help_text="Why it was refused (`not_found`, `not_at_step`, ...), else empty."
    )
    detail = serializers.CharField(help_text="The refusal in the request's language, else empty.")


class BulkPassOutputSerializer(serializers.Serializer):
    passed = serializers.IntegerField(help_text="How many passed.")
    results = BulkPassResultSerializer(many=True)


# -- a unit's own conditions (R6.2) ----------------------------------------------------------


class UnitConditionInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, help_text="The campaign (id) the condition is for.")
    level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="The declared level it applies to; blank: every level. Setting the same "
        "campaign and level again replaces the condition.",
    )
    min_education = serializers.ChoiceField(
        choices=EducationLevel.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="Minimum highest education by the campaign's cut-off. Only adds to the "
        "city's conditions (R6.2).",
    )
    min_years_in_title = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=50,
        help_text="Full years in the current title up to the campaign's work-years cut-off (R2.2).",
    )
    min_achievements = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=50,
        help_text="Achievements obtained after the current title (R2.5).",
    )
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Shown to applicants."
    )


class UnitConditionOutputSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id")
    campaign = serializers.IntegerField(source="campaign_id")
    campaign_name = serializers.CharField(source="campaign.name")

    class Meta:
        model = UnitCondition
        fields = [
            "id", "unit", "campaign", "campaign_name", "level", "min_education",
            "min_years_in_title", "min_achievements", "note", "created_at",
        ]
