"""Input and output serializers of the declarations API, and the declaration's output shape.

The output shape is shared by the review API: a reviewer and the applicant see the same
record, with ``allowed_actions`` computed for whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import rules
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import OrganisationBriefSerializer
from accounts.enums import OrgKind
from accounts.models import Organisation, User
from declarations.enums import DeclarationType, Field, Level, State
from declarations.models import Campaign, Declaration
from declarations.services import declaration_can_remind
from declarations.workflow import AT_STEP_STATES
from review.enums import ApplicantCategory, DecisionKind, Slot
from review.models import Decision, PublicityEntry, RouteStep
from review.publicity import publicity_refusal_for_pass
from review.unit_conditions import unit_condition_refusal_for_pass

# Which kind of organisation each pick of the applicant must be (R3.3, R4).
SLOT_KINDS: dict[str, str] = {
    Slot.UNIT: OrgKind.UNIT,
    Slot.COMPETENT_DEPARTMENT: OrgKind.COMPETENT_DEPARTMENT,
    Slot.PERSONNEL_AGENCY: OrgKind.PERSONNEL_AGENCY,
    Slot.DISTRICT_HR: OrgKind.DISTRICT_HR,
    Slot.MANAGEMENT_BODY: OrgKind.CQ_MANAGEMENT_BODY,
}


class Action:
    """Names in ``allowed_actions``; each is one endpoint (``not_accept`` is ``not-accept/``)."""

    UPDATE = "update"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    PASS = "pass"
    RETURN = "return"
    REFUSE = "refuse"
    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    COMMITTEE_RETURN = "committee_return"
    PUBLICISE = "publicise"
    REMIND = "remind"

    ALL = (
        UPDATE,
        SUBMIT,
        RESUBMIT,
        WITHDRAW,
        PASS,
        RETURN,
        REFUSE,
        ACCEPT,
        NOT_ACCEPT,
        COMMITTEE_RETURN,
        PUBLICISE,
        REMIND,
    )


def allowed_actions(declaration: Declaration, user: User) -> list[str]:
    """Return what ``user`` may do with ``declaration`` now, by the permission rules.

    Uses ``rules.has_perm`` rather than ``user.has_perm`` so that a superuser is offered
    only what the workflow allows. A hint for clients: the service still decides.
    """
    if not user.is_authenticated:
        return []
    actions: list[str] = []
    if rules.has_perm("declarations.change_declaration", user, declaration):
        actions.append(Action.UPDATE)
    if rules.has_perm("declarations.submit_declaration", user, declaration):
        actions.append(Action.SUBMIT)
    if rules.has_perm("declarations.resubmit_declaration", user, declaration):
        actions.append(Action.RESUBMIT)
    if declaration.applicant_id == user.pk and can_proceed(declaration.withdraw):
        actions.append(Action.WITHDRAW)
    if declaration.applicant_id == user.pk and declaration_can_remind(declaration):
        actions.append(Action.REMIND)
    if rules.has_perm("declarations.review_declaration", user, declaration):
        # R6.3: at the unit step the declaration goes into publicity before it may pass.
        refusal = publicity_refusal_for_pass(declaration, timezone.now())
        if refusal is None:
            # R6.2: the unit's own conditions, asked only of what waits at the unit step.
            refusal = unit_condition_refusal_for_pass(declaration)
        if refusal is None:
            actions.append(Action.PASS)
        elif refusal.code == "publicity_required":
            actions.append(Action.PUBLICISE)
        actions.extend([Action.RETURN, Action.REFUSE])
    if rules.has_perm("declarations.committee_check_declaration", user, declaration):
        actions.extend([Action.ACCEPT, Action.NOT_ACCEPT, Action.COMMITTEE_RETURN])
    return actions


# Everything the output serializer reads, so that a list costs a constant number of queries.
# The six links to organisations are not joined: PostgreSQL took 50-100 ms to plan the
# ten-table join, for 3 ms of execution (docs/benchmarks.md). They are loaded in one
# query for a whole list by ``attach_organisations``.
OUTPUT_SELECT_RELATED = (
    "campaign",
    "applicant",
    "chain",
)
ORGANISATION_LINKS = ("current_organisation", *SLOT_KINDS)
OUTPUT_PREFETCH = (
    Prefetch("route", queryset=RouteStep.objects.select_related("organisation").order_by("position")),
    Prefetch("publicity_entries", queryset=PublicityEntry.objects.select_related("batch")),
    Prefetch(
        "decisions",
        queryset=Decision.objects.select_related("organisation").order_by("decided_at", "pk"),
    ),
)


def with_output_relations(queryset: QuerySet[Declaration]) -> QuerySet[Declaration]:
    """Add the joins and prefetches the declaration output needs."""
    return queryset.select_related(*OUTPUT_SELECT_RELATED).prefetch_related(*OUTPUT_PREFETCH)


def prefetch_output_relations(declarations: Iterable[Declaration]) -> None:
    """Prefetch the route and decisions of already loaded declarations."""
    from django.db.models import prefetch_related_objects

    rows = list(declarations)
    prefetch_related_objects(rows, *OUTPUT_PREFETCH)
    attach_organisations(rows)


def attach_organisations(declarations: Iterable[Declaration]) -> None:
    """Load every organisation the declarations link to that is not loaded yet, in one query."""
    rows = list(declarations)
    fields = [Declaration._meta.get_field(name) for name in ORGANISATION_LINKS]
    wanted = {
        getattr(d, f.attname)
        for d in rows
        for f in fields
        if getattr(d, f.attname) is not None and not f.is_cached(d)
    }
    found = Organisation.objects.in_bulk(wanted) if wanted else {}
    for d in rows:
        for f in fields:
            if not f.is_cached(d):
                f.set_cached_value(d, found.get(getattr(d, f.attname)))


# --- output -------------------------------------------------------------------------------


class DisplayField(serializers.CharField):
    """The label of a choice field (``get_<name>_display()``), read-only.

    DRF inspects the signature of a callable ``source`` on every row; for a 50-row list
    that was a fifth of the serialisation time (docs/benchmarks.md).
    """

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.display_of = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return getattr(value, f"get_{self.display_of}_display")()


class OrganisationContactSerializer(OrganisationBriefSerializer):
    """An organisation with whom to contact about the declaration (R5.3)."""

    contact_person = serializers.CharField()
    contact_phone = serializers.CharField()


class CampaignBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()


class ApplicantBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    real_name = serializers.CharField()


class ChainBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The rule of the notice the chain implements, e.g. `R4.1`.")
    name = serializers.CharField()


class RouteStepOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="0 is the first review step.")
    slot = serializers.ChoiceField(choices=Slot.choices)
    organisation = OrganisationContactSerializer()
    is_current = serializers.BooleanField(help_text="The declaration waits at this step now.")


class DecisionOutputSerializer(serializers.Serializer):
    organisation = OrganisationBriefSerializer()
    step = serializers.IntegerField(
        allow_null=True, help_text="Route position; null for the committee host's check."
    )
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    kind_display = DisplayField("kind")
    reason = serializers.CharField()
    defects = serializers.ListField(child=serializers.CharField())
    decided_at = serializers.DateTimeField()


class DeclarationListOutputSerializer(serializers.ListSerializer):
    """A list of declarations: their organisations loaded in one query first."""

    def to_representation(self, data: Any) -> list[Any]:
        rows = list(data.all() if hasattr(data, "all") else data)
        attach_organisations(rows)
        return super().to_representation(rows)


class DeclarationOutputSerializer(serializers.Serializer):
    """A declaration, where it stands and who holds it (R5.3); the same for every reader."""

    class Meta:
        list_serializer_class = DeclarationListOutputSerializer

    id = serializers.IntegerField()
    campaign = CampaignBriefSerializer()
    applicant = ApplicantBriefSerializer()
    level = serializers.ChoiceField(choices=Level.choices, allow_blank=True)
    level_display = DisplayField("level")
    field = serializers.ChoiceField(choices=Field.choices, allow_blank=True)
    field_display = DisplayField("field")
    declaration_type = serializers.ChoiceField(choices=DeclarationType.choices)
    declaration_type_display = DisplayField("declaration_type")
    category = serializers.ChoiceField(choices=ApplicantCategory.choices, allow_blank=True)
    category_display = DisplayField("category")
    state = serializers.ChoiceField(choices=State.choices)
    state_display = DisplayField("state")
    fee = serializers.SerializerMethodField()
    unit = OrganisationBriefSerializer(allow_null=True)
    competent_department = OrganisationBriefSerializer(allow_null=True)
    personnel_agency = OrganisationBriefSerializer(allow_null=True)
    district_hr = OrganisationBriefSerializer(allow_null=True)
    management_body = OrganisationBriefSerializer(allow_null=True)
    chain = ChainBriefSerializer(allow_null=True, help_text="Fixed when first submitted.")
    route = serializers.SerializerMethodField()
    current_organisation = OrganisationContactSerializer(
        allow_null=True,
        help_text="The organisation holding the declaration now, or the one that returned it.",
    )
    returned_by_committee = serializers.BooleanField()
    committee_submissions = serializers.IntegerField(
        help_text="Submissions to the committee so far; the third failing one ends review (R6.6)."
    )
    correction_due_at = serializers.DateTimeField(
        allow_null=True,
        help_text="While returned: resubmit before this moment, or the declaration counts as "
        "abandoned (R6.1, R6.6).",
    )
    integrity_signed_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    state_changed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    decisions = DecisionOutputSerializer(many=True, source="decisions.all")
    allowed_actions = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=8,
            decimal_places=2,
            allow_null=True,
            help_text="Review fee of the level in this campaign (R8.5); null until a level is chosen.",
        )
    )
    def get_fee(self, obj: Declaration) -> str | None:
        if not obj.level:
            return None
        fee: Decimal = obj.campaign.fee_for(obj.level)
        return f"{fee:.2f}"

    @extend_schema_field(RouteStepOutputSerializer(many=True))
    def get_route(self, obj: Declaration) -> list[dict[str, Any]]:
        at_step = obj.state in AT_STEP_STATES
        # One step serializer for the whole list: building one per declaration (and its
        # fields) cost more than the rest of a 50-row page (docs/benchmarks.md).
        step_serializer = self.__dict__.get("_route_step_serializer")
        if step_serializer is None:
            step_serializer = self.__dict__["_route_step_serializer"] = RouteStepOutputSerializer()
        return [
            step_serializer.to_representation(
                {
                    "position": step.position,
                    "slot": step.slot,
                    "organisation": step.organisation,
                    "is_current": at_step and step.position == obj.current_step,
                }
            )
            for step in obj.route.all()
        ]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=[(a, a) for a in Action.ALL]),
            help_text="What you may do now; each name is an endpoint (`not_accept` is "
            "`not-accept/`, `committee_return` is `committee-return/`, `update` is PATCH).",
        )
    )
    def get_allowed_actions(self, obj: Declaration) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return allowed_actions(obj, user) if user is not None else []


# --- input --------------------------------------------------------------------------------


class OrganisationPickField(serializers.PrimaryKeyRelatedField):
    """The id of a registered, active organisation of the kind a pick needs."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": _(
            "编号为“{pk_value}”的机构不存在或类型不符。如在平台上找不到该机构，请联系其先在平台注册（R3.4）。"
        ),
    }

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organisation.objects.filter(kind=kind, is_active=True))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class DeclarationFieldsInputSerializer(serializers.Serializer):
    """The fields of a draft an applicant fills in; a draft may be incomplete (R5.1)."""

    level = serializers.ChoiceField(choices=Level.choices, required=False)
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    declaration_type = serializers.ChoiceField(choices=DeclarationType.choices, required=False)
    category = serializers.ChoiceField(
        choices=ApplicantCategory.choices,
        required=False,
        help_text="Decides the routing chain (R4.1 to R4.6).",
    )
    unit = OrganisationPickField(kind=OrgKind.UNIT, help_text="Id of a `unit`.")
    competent_department = OrganisationPickField(
        kind=OrgKind.COMPETENT_DEPARTMENT, help_text="Id of a `competent_department`."
    )
    personnel_agency = OrganisationPickField(
        kind=OrgKind.PERSONNEL_AGENCY, help_text="Id of a `personnel_agency`."
    )
    district_hr = OrganisationPickField(kind=OrgKind.DISTRICT_HR, help_text="Id of a `district_hr`.")
    management_body = OrganisationPickField(
        kind=OrgKind.CQ_MANAGEMENT_BODY, help_text="Id of a `cq_management_body`."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Refuse what cannot be set here (e.g. ``state`` or, on PATCH, ``campaign``)
        # rather than ignore it and let the client believe it changed.
        if isinstance(self.initial_data, Mapping):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: _("不能填写此字段。") for name in unknown}, code="unknown_field"
                )
        return attrs


class DeclarationCreateInputSerializer(DeclarationFieldsInputSerializer):
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), help_text="Id of an open campaign (see `campaigns/`)."
    )


class DeclarationUpdateInputSerializer(DeclarationFieldsInputSerializer):
    """Only the fields sent are changed (PATCH)."""


class DeclarationSubmitInputSerializer(serializers.Serializer):
    integrity_accepted = serializers.BooleanField(
        help_text="The applicant signs the integrity commitment (R5.2); must be true."
    )


class DeclarationWithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- campaigns ----------------------------------------------------------------------------


class CampaignFeesSerializer(serializers.Serializer):
    senior = serializers.DecimalField(max_digits=8, decimal_places=2, source="fee_senior")
    intermediate = serializers.DecimalField(max_digits=8, decimal_places=2, source="fee_intermediate")
    junior = serializers.DecimalField(max_digits=8, decimal_places=2, source="fee_junior")


class CampaignOutputSerializer(serializers.Serializer):
    """An open campaign: its windows and cut-off dates (R8.3) and fees (R8.5)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    committee_host = OrganisationContactSerializer()
    filing_opens_at = serializers.DateTimeField()
    filing_closes_at = serializers.DateTimeField()
    chain_deadline = serializers.DateTimeField(
        help_text="Reviewing organisations must send declarations to the committee before this (R8.3)."
    )
    work_years_cutoff = serializers.DateField()
    material_valid_until = serializers.DateField(allow_null=True)
    fees = CampaignFeesSerializer(source="*", help_text="Per fee band (R2.1, R8.5), in yuan.")
