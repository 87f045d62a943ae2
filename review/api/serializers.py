"""Serializers of the review API: the queue's entries and the input of each action.

An action answers with the declaration's full output shape
(``declarations.api.serializers.DeclarationOutputSerializer``); the queue lists lighter
entries (``QueueItemOutputSerializer``) that link to it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from declarations.api.serializers import (
    ApplicantBriefSerializer,
    CampaignBriefSerializer,
    ChainBriefSerializer,
    DisplayField,
)
from declarations.enums import DeclarationType, EducationLevel, Field, Level, State
from declarations.models import Declaration
from declarations.workflow import AT_STEP_STATES
from review.bulk import MAX_BULK
from review.deadlines import DEFAULT_CORRECTION_WORKING_DAYS, MAX_CORRECTION_WORKING_DAYS
from review.enums import ApplicantCategory, NotAcceptReason
from review.models import UnitCondition
from review.paths import ChoiceLabels, path_format

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


# -- the queue -------------------------------------------------------------------------------

class QueueItemListSerializer(serializers.ListSerializer):
    """The queue's entries: the labels, paths and time fields worked out once per list."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        rows = data.all() if hasattr(data, "all") else data
        child: QueueItemOutputSerializer = self.child  # type: ignore[assignment]
        shared = _QueueShared(child)
        return [child.represent(d, shared) for d in rows]


class _QueueShared:
    """What every entry of one list shares: translated labels, path patterns, field objects."""

    def __init__(self, child: QueueItemOutputSerializer) -> None:
        self.label = ChoiceLabels()
        self.api_path = path_format("api:declaration")
        self.page_path = path_format("declarations:detail")
        self.datetime = child.fields["submitted_at"]

    def when(self, value: Any) -> str | None:
        return None if value is None else self.datetime.to_representation(value)


class QueueItemOutputSerializer(serializers.Serializer):
    """One declaration waiting at the organisation: what a queue shows, and where the rest is.

    The route, decisions and ``allowed_actions`` are not listed: they are in the full
    declaration at ``url`` (``GET declarations/{id}/``). A list serialises without a
    query of its own and without permission checks per row (docs/benchmarks.md).
    """

    class Meta:
        list_serializer_class = QueueItemListSerializer

    id = serializers.IntegerField()
    applicant = ApplicantBriefSerializer()
    campaign = CampaignBriefSerializer()
    level = serializers.ChoiceField(choices=Level.choices, allow_blank=True)
    level_display = DisplayField("level")
    field = serializers.ChoiceField(choices=Field.choices, allow_blank=True)
    field_display = DisplayField("field")
    declaration_type = serializers.ChoiceField(choices=DeclarationType.choices)
    declaration_type_display = DisplayField("declaration_type")
    category = serializers.ChoiceField(choices=ApplicantCategory.choices, allow_blank=True)
    category_display = DisplayField("category")
    chain = ChainBriefSerializer(allow_null=True)
    state = serializers.ChoiceField(choices=State.choices)
    state_display = DisplayField("state")
    current_step = serializers.IntegerField(
        allow_null=True,
        help_text="Route position (0 is the first step) at which it waits; null at the "
        "committee host's check.",
    )
    committee_submissions = serializers.IntegerField(
        help_text="Submissions to the committee so far; the third failing one ends review (R6.6)."
    )
    submitted_at = serializers.DateTimeField(allow_null=True)
    arrived_at = serializers.DateTimeField(
        source="state_changed_at",
        allow_null=True,
        help_text="When it reached its present state here; the queue is in this order, oldest first.",
    )
    deadline = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.DateTimeField(
            allow_null=True,
            help_text="At a chain step: the campaign's chain deadline, before which the last "
            "step must send it to the committee (R8.3). Null at the committee host's check.",
        )
    )
    def get_deadline(self, obj: Declaration) -> str | None:
        return self.represent(obj)["deadline"]

    @extend_schema_field(
        serializers.CharField(
            help_text="API path of the full declaration: route, decisions, allowed actions."
        )
    )
    def get_url(self, obj: Declaration) -> str:
        return self.represent(obj)["url"]

    @extend_schema_field(serializers.CharField(help_text="Path of the declaration's review page."))
    def get_page_url(self, obj: Declaration) -> str:
        return self.represent(obj)["page_url"]

    def to_representation(self, instance: Declaration) -> dict[str, Any]:
        return self.represent(instance)

    def represent(self, d: Declaration, shared: _QueueShared | None = None) -> dict[str, Any]:
        """The entry, built by hand: DRF's field-by-field path cost several times more.

        Same keys and values as the declared fields (tests/review/test_api.py checks it).
        """
        shared = shared or _QueueShared(self)
        at_step = d.state in AT_STEP_STATES
        campaign = d.campaign
        chain = d.chain
        return {
            "id": d.pk,
            "applicant": {"id": d.applicant_id, "real_name": d.applicant.real_name},
            "campaign": {"id": campaign.pk, "name": campaign.name, "year": campaign.year},
            "level": d.level,
            "level_display": shared.label("level", d),
            "field": d.field,
            "field_display": shared.label("field", d),
            "declaration_type": d.declaration_type,
            "declaration_type_display": shared.label("declaration_type", d),
            "category": d.category,
            "category_display": shared.label("category", d),
            "chain": None if chain is None else {"code": chain.code, "name": chain.name},
            "state": d.state,
            "state_display": shared.label("state", d),
            "current_step": d.current_step if at_step else None,
            "committee_submissions": d.committee_submissions,
            "submitted_at": shared.when(d.submitted_at),
            "arrived_at": shared.when(d.state_changed_at),
            "deadline": shared.when(campaign.chain_deadline) if at_step else None,
            "url": shared.api_path.format(d.pk),
            "page_url": shared.page_path.format(d.pk),
        }
