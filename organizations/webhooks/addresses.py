"""Where a webhook may be sent (SSRF): https to a public address only. The host is resolved
when the endpoint is registered and again before every delivery (DNS rebinding), and the
delivery connects to the very address that was checked."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAX_URL_LENGTH = 2048


class UnsafeTarget(Exception):
    """The URL is malformed, does not resolve, or points somewhere webhooks must not go.
    ``code`` is the stable error code a client sees."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    address: str  # the checked IP the delivery connects to


def _parts(url: object) -> tuple[str, str, int, str]:
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise UnsafeTarget(
            "Give an https URL of at most 2048 characters.", code="webhook_invalid_url"
        )
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError as exc:
        raise UnsafeTarget("This is not a valid URL.", code="webhook_invalid_url") from exc
    if split.scheme not in ("https", "http") or not split.hostname:
        raise UnsafeTarget("The URL must be https://host/...", code="webhook_invalid_url")
    if split.username or split.password or split.fragment or any(c.isspace() for c in url):
        raise UnsafeTarget(
            "The URL may not carry credentials, a fragment or spaces.", code="webhook_invalid_url"
        )
    path = (split.path or "/") + (f"?{split.query}" if split.query else "")
    return split.scheme, split.hostname, port or (443 if split.scheme == "https" else 80), path


def _addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeTarget(
            f"The host {host!r} does not resolve.", code="webhook_url_unresolvable"
        ) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def refusal(address: str) -> str | None:
    """Why ``address`` is not a place for a webhook, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if settings.WEBHOOK_ALLOW_LOOPBACK else "a loopback address"
    for kind in ("unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    return None if ip.is_global else "a non-public address"


def check(url: object) -> Target:
    """The URL's target once every address it resolves to is allowed. Raises UnsafeTarget
    (``webhook_invalid_url``, ``webhook_url_unresolvable``, ``webhook_url_forbidden``)."""
    scheme, host, port, path = _parts(url)
    addresses = _addresses(host, port)
    for address in addresses:
        why = refusal(address)
        if why is not None:
            raise UnsafeTarget(
                f"Webhooks cannot be sent to {host}: it resolves to {why}.",
                code="webhook_url_forbidden",
            )
    loopback = all(ipaddress.ip_address(a.split("%", 1)[0]).is_loopback for a in addresses)
    if scheme != "https" and not (loopback and settings.WEBHOOK_ALLOW_LOOPBACK):
        raise UnsafeTarget("The URL must use https.", code="webhook_invalid_url")
    return Target(scheme, host, port, path, addresses[0])
