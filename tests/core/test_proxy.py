"""REMOTE_ADDR behind trusted proxies (core/proxy.py)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.proxy import ForwardedForMiddleware, client_address, parse_networks

TRUSTED = parse_networks(["10.0.0.0/8", "127.0.0.1", "::1"])


@pytest.mark.parametrize(
    ("remote", "xff", "expected"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),  # one load balancer
        ("10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two proxies
        ("10.0.0.5", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # client-written prefix ignored
        ("198.51.100.1", "203.0.113.9", "198.51.100.1"),  # not from a proxy: header ignored
        ("10.0.0.5", "", "10.0.0.5"),  # proxy sent no header
        ("10.0.0.5", "not-an-ip", "10.0.0.5"),
        ("10.0.0.5", "203.0.113.9:5123", "203.0.113.9"),
        ("::1", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.5", "10.0.0.8, 10.0.0.7", "10.0.0.8"),  # only proxies: the leftmost
    ],
)
def test_client_address(remote, xff, expected):
    assert client_address(remote, xff, TRUSTED) == expected


def _seen(**meta) -> str:
    middleware = ForwardedForMiddleware(lambda request: HttpResponse(request.META["REMOTE_ADDR"]))
    return middleware(RequestFactory().get("/", **meta)).content.decode()


def test_middleware_rewrites_only_for_configured_proxies():
    meta = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    with override_settings(TRUSTED_PROXIES=[]):
        assert _seen(**meta) == "10.0.0.5"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert _seen(**meta) == "203.0.113.9"
