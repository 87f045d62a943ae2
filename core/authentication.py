"""API tokens that expire, as sessions do (issue 9, hardening).

DRF's ``TokenAuthentication`` accepts a token forever. Here a token older than
``API_TOKEN_AGE`` seconds (default: the session's absolute lifetime, 8 hours) is refused
with 401 ``token_expired`` and deleted; ``POST /api/v1/auth/token/`` then issues a new one
(accounts/api/views.py). The check reads the ``created`` column the token lookup already
loads: no extra query.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("API 令牌已过期，请重新获取令牌（POST /api/v1/auth/token/）。")
    default_code = "token_expired"


def token_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.API_TOKEN_AGE)


def token_is_expired(token: Any, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) - token.created >= token_age()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            token.delete()
            raise TokenExpired()
        return user, token
