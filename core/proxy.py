"""The client's address behind a load balancer or reverse proxy (docs/deployment.md).

gunicorn puts the address of whoever opened the connection in REMOTE_ADDR: behind a
proxy, the proxy's. The platform records and rate-limits by REMOTE_ADDR (complaints,
integrity commitments, verification), so this middleware sets it to the client address
the proxy reports in X-Forwarded-For, but only when the connection comes from a proxy
listed in DJANGO_TRUSTED_PROXIES (addresses or networks). Walking the header from the
right, the first address that is not a trusted proxy is the client; anything left of it
could have been written by the client and is ignored. With no trusted proxies configured
(the default) nothing changes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip()]


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str, trusted: list[Network]) -> str:
    def is_trusted(ip) -> bool:
        return ip is not None and any(ip in net for net in trusted)

    if not is_trusted(_ip(remote_addr)):
        return remote_addr
    client = remote_addr
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        ip = _ip(hop)
        if ip is None:  # garbage: stop at the last address we could trust
            break
        client = str(ip)
        if not is_trusted(ip):
            break
    return client


class ForwardedForMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.trusted = parse_networks(getattr(settings, "TRUSTED_PROXIES", []))

    def __call__(self, request):
        if self.trusted:
            meta = request.META
            meta["REMOTE_ADDR"] = client_address(
                meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), self.trusted
            )
        return self.get_response(request)
