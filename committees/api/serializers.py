"""Explicit input and output serializers of the committee API (R7.1, R7.2)."""

from __future__ import annotations

from rest_framework import serializers

from committees.enums import VotingMode
from committees.models import (
    Committee,
    Draw,
    DrawEntry,
    Expert,
    Meeting,
    MeetingCandidate,
    MeetingMember,
    Recusal,
)
from declarations.enums import Field


class CommitteeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "name", "host", "approval_body", "levels", "fields", "draw_method", "is_active"]


class ExpertOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "field",
            "title",
            "employer",
            "employer_name",
            "term_start",
            "term_end",
            "is_active",
        ]


class MemberOutputSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name")

    class Meta:
        model = MeetingMember
        fields = ["id", "expert", "expert_name", "role", "attending", "signed_in_at"]


class RecusalOutputSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(
        help_text="applicant_unit, route, declared, self or other (docs/committee.md)."
    )

    class Meta:
        model = Recusal
        fields = ["expert", "reason"]


class CandidateOutputSerializer(serializers.ModelSerializer):
    recused_experts = RecusalOutputSerializer(source="recusals", many=True, read_only=True)

    class Meta:
        model = MeetingCandidate
        fields = ["id", "declaration", "position", "recused_experts"]


class DrawEntryOutputSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name")

    class Meta:
        model = DrawEntry
        fields = ["id", "expert", "expert_name", "order", "status", "replaces", "responded_at"]


class DrawOutputSerializer(serializers.ModelSerializer):
    entries = DrawEntryOutputSerializer(many=True, read_only=True)
    verified = serializers.SerializerMethodField(
        help_text="Whether re-running the draw from this record gives the same result (R7.1)."
    )

    class Meta:
        model = Draw
        fields = [
            "id",
            "meeting",
            "needed",
            "drawn",
            "field",
            "method",
            "seed_commitment",
            "seed",
            "pool_snapshot",
            "excluded",
            "skipped",
            "result",
            "drawn_at",
            "entries",
            "verified",
        ]

    def get_verified(self, obj: Draw) -> bool:
        from committees.selectors import draw_verify

        return draw_verify(obj, list(obj.entries.all()))


class MeetingOutputSerializer(serializers.ModelSerializer):
    members = MemberOutputSerializer(many=True, read_only=True)
    candidates = CandidateOutputSerializer(many=True, read_only=True)
    attending = serializers.SerializerMethodField()
    quorum_met = serializers.SerializerMethodField(help_text="attending × 3 ≥ members × 2 (R7.2).")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "campaign",
            "scheduled_at",
            "location",
            "voting_mode",
            "presiding",
            "state",
            "voting_opened_at",
            "members",
            "candidates",
            "attending",
            "quorum_met",
        ]

    def get_attending(self, obj: Meeting) -> int:
        return sum(1 for m in obj.members.all() if m.attending)

    def get_quorum_met(self, obj: Meeting) -> bool:
        from committees.workflow import quorum_met

        return quorum_met(self.get_attending(obj), len(obj.members.all()))


class MeetingScheduleInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    scheduled_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200)
    voting_mode = serializers.ChoiceField(choices=VotingMode.choices, default=VotingMode.ELECTRONIC)


class CandidateAddInputSerializer(serializers.Serializer):
    declaration = serializers.IntegerField()


class DrawInputSerializer(serializers.Serializer):
    needed = serializers.IntegerField(min_value=1)
    drawn = serializers.IntegerField(min_value=2, help_text="More than `needed` (R7.1).")
    field = serializers.ChoiceField(choices=Field.choices, required=False, default="")


class RespondInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class AttendanceInputSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=True,
        help_text="Ids of the meeting members present; every other member is absent.",
    )


class ExpertInputSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
