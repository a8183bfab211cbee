"""One webhook POST over http.client, connected to the address organizations.webhooks.addresses
checked (not to whatever the name resolves to a moment later), with a timeout; no redirects."""

from __future__ import annotations

import http.client
import socket
import ssl

from organizations.webhooks.addresses import Target

USER_AGENT = "orgservice-webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST ``body``; the response status. Raises OSError (refused, reset, timed out, TLS)
    or http.client.HTTPException (a malformed response)."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    conn = kind(target, timeout)
    try:
        conn.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        response = conn.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        conn.close()
