"""A real HTTP receiver for webhook tests (http.server in a thread) and a Standard Webhooks
signature check written from the spec, independent of organizations.webhooks.signing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers ``status`` (200 by default); with ``hang`` set it holds each request until the
    test ends (a slow endpoint). ``got`` lists every request it read."""

    url: str = ""
    status: int = 200
    hang: bool = False
    got: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Event = field(default_factory=threading.Event)

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        """Block until ``count`` requests arrived (or ``timeout``); the requests so far."""
        while len(self.got) < count and self.arrived.wait(timeout):
            self.arrived.clear()
        return list(self.got)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.got.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            receiver.arrived.set()
            if receiver.hang:
                receiver.release.wait(30)
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

    return Handler


@contextmanager
def receiving(port: int = 0, path: str = "/hook") -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 (``port``, or one the OS chooses) until the block ends."""
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()


def verifies(secret: str, got: Received) -> bool:
    """The spec's check: some ``v1,<sig>`` in webhook-signature equals base64(HMAC-SHA256(
    base64decode(secret without whsec_), "{webhook-id}.{webhook-timestamp}.{body}"))."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{got.headers['webhook-id']}.{got.headers['webhook-timestamp']}.".encode() + got.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    sent = [s.split(",", 1) for s in got.headers["webhook-signature"].split(" ")]
    return any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in sent)
