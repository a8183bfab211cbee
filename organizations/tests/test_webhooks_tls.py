"""An https endpoint is reached at the address that was checked, while TLS still verifies the
certificate against the URL's host name (a real TLS receiver, a throwaway certificate)."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading

import pytest

from organizations.webhooks import transport
from organizations.webhooks.addresses import Target

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    """(port, bodies received): an https server for ``hooks.test`` on 127.0.0.1, trusted."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=hooks.test"]
        + ["-addext", "subjectAltName=DNS:hooks.test"],
        check=True,
        capture_output=True,
    )
    got: list[tuple[str, bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            got.append((self.headers["Host"], self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trusting = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: trusting(cafile=str(cert)))
    yield server.server_address[1], got
    server.shutdown()
    server.server_close()


def test_an_https_post_goes_to_the_checked_address_and_verifies_the_host_name(tls_receiver):
    port, got = tls_receiver
    target = Target("https", "hooks.test", port, "/hook", "127.0.0.1")
    assert transport.post(target, b'{"n":1}', {"webhook-id": "msg_1"}, timeout=5) == 204
    assert got == [(f"hooks.test:{port}", b'{"n":1}')]


def test_a_certificate_for_another_name_is_refused(tls_receiver):
    port, got = tls_receiver
    target = Target("https", "other.test", port, "/hook", "127.0.0.1")
    with pytest.raises(ssl.SSLCertVerificationError):
        transport.post(target, b"{}", {}, timeout=5)
    assert got == []
