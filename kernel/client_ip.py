"""The client's IP address: REMOTE_ADDR, or a trusted proxy header when one is configured."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """Behind a TLS-terminating proxy set TRUSTED_IP_HEADER (e.g. ``HTTP_X_FORWARDED_FOR``);
    its right-most address is the one our proxy saw. Unset, the header is never read, so a
    client cannot choose its own address."""
    header = getattr(settings, "TRUSTED_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    candidate = value.split(",")[-1].strip() if value else request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
