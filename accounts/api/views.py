"""Accounts API: tokens, registration of people and organisations, the directory (R3)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    MeOutputSerializer,
    OrganisationFilterInputSerializer,
    OrganisationOutputSerializer,
    OrganisationRegisterInputSerializer,
    TokenOutputSerializer,
    UserOutputSerializer,
    UserRegisterInputSerializer,
)
from accounts.selectors import organisation_directory
from accounts.services import organisation_register, user_register
from core.api import ApiPagination, error_responses, paginated_response
from core.authentication import token_is_expired


class TokenObtainApi(ObtainAuthToken):
    """Exchange a username and password for the person's API token."""

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        summary="Obtain an API token",
        request=AuthTokenSerializer,
        responses={200: TokenOutputSerializer, **error_responses(400)},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        if token_is_expired(token):
            # An expired token is replaced, never handed out again (core/authentication.py).
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class UserRegisterApi(APIView):
    """Register a real-name person once (R3.1)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="accounts_register",
        tags=["accounts"],
        summary="Register a person (R3.1)",
        description=(
            "The resident ID number is checked (format, birth date, check digit) and must not "
            "be registered already (`id_number_registered`). The password must pass the "
            "platform's password validators. The answer masks the ID number."
        ),
        request=UserRegisterInputSerializer,
        responses={201: UserOutputSerializer, **error_responses(400)},
        auth=[],
        examples=[
            OpenApiExample(
                "Malformed ID number",
                value={
                    "code": "id_number_check_digit",
                    "detail": "身份证号码校验位不正确，请核对。",
                    "field": "id_number",
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = UserRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    """The person making the request."""

    @extend_schema(
        operation_id="accounts_me",
        tags=["accounts"],
        summary="The current person and the organisation they administer",
        responses={200: MeOutputSerializer, **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(request.user).data)


class OrganisationListCreateApi(APIView):
    """The organisation directory (public) and organisation registration (R3.2, R3.4)."""

    pagination_class = ApiPagination

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="organisations_list",
        tags=["organisations"],
        summary="Directory of registered organisations (R3.4)",
        description=(
            "Public: an applicant looks up the organisations of their routing chain here. If "
            "one is missing, ask it to register on the platform (R3.4)."
        ),
        parameters=[OrganisationFilterInputSerializer],
        responses={200: OrganisationOutputSerializer(many=True), **error_responses(400, 404)},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        filters = OrganisationFilterInputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            view=self,
            request=request,
            queryset=organisation_directory(**filters.validated_data),
            serializer_class=OrganisationOutputSerializer,
        )

    @extend_schema(
        operation_id="organisations_register",
        tags=["organisations"],
        summary="Register an organisation and become its title administrator (R3.2)",
        description=(
            "Refused while the person already administers an organisation "
            "(`already_administrator`) or has a declaration under way (`has_open_declaration`, "
            "R1.3)."
        ),
        request=OrganisationRegisterInputSerializer,
        responses={201: OrganisationOutputSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = OrganisationRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_register(actor=request.user, **serializer.validated_data)
        return Response(OrganisationOutputSerializer(organisation).data, status=status.HTTP_201_CREATED)
