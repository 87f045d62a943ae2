"""API of shared-data verification (R5.4) and of a declaration's versions.

Every view looks the declaration up through ``declaration_get_for_user`` (404 for what
the person may not see) and calls one service or selector.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from core.exceptions import ServiceError
from declarations.enums import SharedDataKind, SharedDataStatus, VersionReason
from declarations.models import DeclarationVersion
from declarations.selectors import declaration_get_for_user
from declarations.shareddata.selectors import SharedDataItem, shared_data_item, shared_data_items
from declarations.shareddata.services import (
    shared_data_confirm,
    shared_data_kind_or_404,
    shared_data_reverify,
)
from declarations.versions import (
    version_base_for_latest_return,
    version_changes_for_display,
    version_diff,
)

# --- shared data ------------------------------------------------------------------------


class SharedDataItemOutputSerializer(serializers.Serializer):
    """One item of R5.4 checked against shared data, and what it still needs."""

    kind = serializers.ChoiceField(choices=SharedDataKind.choices)
    kind_display = serializers.CharField()
    status = serializers.ChoiceField(choices=SharedDataStatus.choices)
    status_display = serializers.CharField()
    detail = serializers.CharField()
    declared = serializers.JSONField(help_text="What the declaration says.")
    found = serializers.JSONField(help_text="What the shared data says.")
    source = serializers.CharField()
    checked_at = serializers.DateTimeField()
    has_evidence = serializers.BooleanField(help_text="Evidence with this purpose is uploaded.")
    needs_evidence = serializers.BooleanField(
        help_text="Failed and no evidence yet: upload evidence with `purpose` = `kind` (R5.4)."
    )
    satisfied = serializers.BooleanField(
        help_text="Verified, confirmed by the unit, or failed with evidence uploaded."
    )
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


def _item_data(item: SharedDataItem) -> dict[str, Any]:
    c = item.check
    return {
        "kind": c.kind,
        "kind_display": c.get_kind_display(),
        "status": c.status,
        "status_display": c.get_status_display(),
        "detail": c.detail,
        "declared": c.declared,
        "found": c.found,
        "source": c.source,
        "checked_at": c.checked_at,
        "has_evidence": item.has_evidence,
        "needs_evidence": item.needs_evidence,
        "satisfied": item.satisfied,
        "confirmed_by": c.confirmed_by.real_name if c.confirmed_by_id else None,
        "confirmed_at": c.confirmed_at,
        "note": c.note,
    }


def _items_response(items: list[SharedDataItem]) -> Response:
    return Response(SharedDataItemOutputSerializer([_item_data(i) for i in items], many=True).data)


class SharedDataConfirmInputSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(
        help_text="true: the unit confirms the item by hand; false: it found the item untrue."
    )
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        help_text="Required when rejecting; shown to the applicant.",
    )


class SharedDataListApi(APIView):
    @extend_schema(
        operation_id="declarations_shared_data_list",
        tags=["declarations"],
        summary="Shared-data checks of a declaration (R5.4)",
        description="One item per kind that applies, in the notice's order. An item that "
        "failed (`not_verified`, `not_found`) needs evidence uploaded with its kind as "
        "purpose, and the unit's confirmation.",
        responses={200: SharedDataItemOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        return _items_response(shared_data_items(declaration))


class SharedDataVerifyApi(APIView):
    @extend_schema(
        operation_id="declarations_shared_data_verify",
        tags=["declarations"],
        summary="Check the declaration against shared data again (重新核验, R5.4)",
        description="The applicant while the declaration is a draft or returned, or the "
        "unit holding it (`shared_data_not_now`, 403, otherwise).",
        request=None,
        responses={200: SharedDataItemOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        shared_data_reverify(declaration=declaration, actor=request.user)
        return _items_response(shared_data_items(declaration))


class SharedDataConfirmApi(APIView):
    @extend_schema(
        operation_id="declarations_shared_data_confirm",
        tags=["declarations"],
        summary="The unit confirms or rejects an item that failed verification (R5.4, R6.1)",
        description="Only the administrator of the organisation holding the declaration at its "
        "unit step (the first step of a route without one): `not_confirming_organisation` "
        "(403). A verified item needs no finding (`shared_data_verified`, 409); a rejection "
        "needs a note (`note_required`, 400).",
        request=SharedDataConfirmInputSerializer,
        responses={200: SharedDataItemOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int, kind: str) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        shared_data_kind_or_404(kind)
        serializer = SharedDataConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = shared_data_item(declaration, kind)
        if item is None:
            raise ServiceError("shared_data_not_checked", _("该项尚未核验。"))
        shared_data_confirm(check=item.check, actor=request.user, **serializer.validated_data)
        updated = shared_data_item(declaration, kind)
        assert updated is not None
        return Response(SharedDataItemOutputSerializer(_item_data(updated)).data)


# --- versions -----------------------------------------------------------------------------


class VersionOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=VersionReason.choices)
    reason_display = serializers.CharField(source="get_reason_display")
    frozen_at = serializers.DateTimeField()


class VersionDetailOutputSerializer(VersionOutputSerializer):
    data = serializers.JSONField(help_text="The snapshot, section by section (docs/versions.md).")


class ChangeOutputSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="Section name, e.g. `core`, `achievement`.")
    section_display = serializers.CharField()
    item = serializers.CharField(help_text="The row of a list section; empty for a record.")
    field = serializers.CharField(help_text="Empty when a whole item was added or removed.")
    field_display = serializers.CharField()
    change = serializers.ChoiceField(choices=[("changed", "changed"), ("added", "added"),
                                              ("removed", "removed")])
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class VersionDiffOutputSerializer(serializers.Serializer):
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    changes = ChangeOutputSerializer(many=True)


def _versions(request: Request, pk: int) -> list[DeclarationVersion]:
    declaration = declaration_get_for_user(request.user, pk)
    return list(DeclarationVersion.objects.filter(declaration=declaration).order_by("number"))


def _version(versions: list[DeclarationVersion], number: Any, name: str) -> DeclarationVersion:
    for v in versions:
        if str(v.number) == str(number):
            return v
    raise ServiceError("version_not_found", _("没有该版本。"), field=name)


class VersionListApi(APIView):
    @extend_schema(
        operation_id="declarations_versions_list",
        tags=["declarations"],
        summary="Versions frozen at each submission and resubmission",
        responses={200: VersionOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(VersionOutputSerializer(_versions(request, pk), many=True).data)


class VersionDetailApi(APIView):
    @extend_schema(
        operation_id="declarations_versions_retrieve",
        tags=["declarations"],
        summary="One version with its snapshot",
        responses={200: VersionDetailOutputSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request: Request, pk: int, number: int) -> Response:
        version = _version(_versions(request, pk), number, "number")
        return Response(VersionDetailOutputSerializer(version).data)


class VersionDiffApi(APIView):
    @extend_schema(
        operation_id="declarations_versions_diff",
        tags=["declarations"],
        summary="What changed between two versions",
        description="Defaults: `to` is the latest version; `from` is the version that was "
        "last returned for correction, else the one before `to`. Unknown numbers answer "
        "`version_not_found` (400).",
        parameters=[
            OpenApiParameter("from", int, required=False, description="Older version number."),
            OpenApiParameter("to", int, required=False, description="Newer version number."),
        ],
        responses={200: VersionDiffOutputSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        versions = _versions(request, pk)
        if not versions:
            raise ServiceError("version_not_found", _("该申报尚未提交，没有版本。"))
        to = _version(versions, request.query_params.get("to", versions[-1].number), "to")
        if "from" in request.query_params:
            old = _version(versions, request.query_params["from"], "from")
        else:
            base = version_base_for_latest_return(to.declaration)
            if base is not None and base.number < to.number:
                old = base
            else:
                old = _version(versions, max(to.number - 1, versions[0].number), "from")
        changes = version_diff(old.data, to.data)
        views = version_changes_for_display(changes)
        data = {
            "from_version": old.number,
            "to_version": to.number,
            "changes": [
                {
                    "section": c.section,
                    "section_display": v.section,
                    "item": c.item,
                    "field": c.field,
                    "field_display": v.field,
                    "change": c.change,
                    "before": c.before,
                    "after": c.after,
                }
                for c, v in zip(changes, views, strict=True)
            ],
        }
        return Response(VersionDiffOutputSerializer(data).data)
