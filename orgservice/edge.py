"""The WSGI entry's first stop: /healthz and a successful GET /org/get, answered without Django.

Profiled under gunicorn ([perf-2], py-spy on a worker): Django's handler (the request object, the
request_started/finished signals, the middleware chain, the response object) cost more than
everything /healthz itself does, and as much again as GET /org/get's own work. These two routes
are public, read-only and need no session, cookie, CSRF token, user or message, so they are
answered here, with everything a client or an operator sees kept: the request id (accepted or
made, echoed in X-Request-ID), the JSON access line and the request metrics
(orgservice.access_log), and for GET /org/get the body and headers the full stack gives, security
headers included (orgservice/tests/test_edge.py compares the two answers).

Anything else goes to Django unchanged: another route or method, a browser asking for HTML,
``?format=``, a request with a body, a Host not in ALLOWED_HOSTS (Django answers 400), plain
HTTP while SECURE_SSL_REDIRECT is on (Django redirects), a query Django would refuse, and a name
that is missing, unknown or refused or a store error (Django answers them in their shape).
Settings are read when the edge first needs them, as Django's middlewares read theirs at start.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from django.conf import settings
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.middleware.security import SecurityMiddleware
from rest_framework.renderers import JSONRenderer

from kernel import request_id
from kernel.errors import AppError
from organizations.orgs import selectors
from organizations.orgs.serializers import org_body
from orgservice.access_log import log_access

HEALTHZ_BODY = b'{"status": "ok"}'  # orgservice.health.healthz's JsonResponse, byte for byte
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
ROUTES = {"/healthz": "healthz", "/org/get": "org/get"}  # the access line's route, as Django's
_renderer = JSONRenderer()
_NAME_FIELD = "organization_name="
_HOSTS_REMEMBERED = 256
_BODIES_REMEMBERED = 4096


class _Scheme:
    """What SecurityMiddleware.process_response asks of a request."""

    def __init__(self, secure: bool):
        self.secure = secure

    def is_secure(self) -> bool:
        return self.secure


@dataclass(frozen=True)
class _Settings:
    """The settings the edge applies, read once (a settings read costs as much as a lookup)."""

    x_frame_options: str
    ssl_redirect: bool
    proxy_ssl_header: tuple[str, str] | None
    use_x_forwarded_host: bool
    allowed_hosts: list[str]
    max_fields: int | None

    @classmethod
    def read(cls) -> _Settings:
        hosts = settings.ALLOWED_HOSTS
        if settings.DEBUG and not hosts:
            hosts = [".localhost", "127.0.0.1", "[::1]"]  # as HttpRequest.get_host
        return cls(
            settings.X_FRAME_OPTIONS,
            settings.SECURE_SSL_REDIRECT,
            settings.SECURE_PROXY_SSL_HEADER,
            settings.USE_X_FORWARDED_HOST,
            list(hosts),
            settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )


class Edge:
    def __init__(self, django_app: Callable):
        self.django = django_app
        self._config: _Settings | None = None
        self._headers: dict[bool, list[tuple[str, str]]] = {}
        self._hosts: dict[str, bool] = {}
        self._bodies: dict[int, tuple[object, bytes]] = {}

    @property
    def config(self) -> _Settings:
        if self._config is None:
            self._config = _Settings.read()
        return self._config

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        healthz = path == "/healthz" and method in ("GET", "HEAD")
        if not healthz and not (path == "/org/get" and method == "GET"):
            return self.django(environ, start_response)
        started = time.perf_counter()
        rid = request_id.accept(environ.get("HTTP_X_REQUEST_ID"))
        token = request_id.bind(rid)  # the lookup's own log lines carry it too
        try:
            answer = (HEALTHZ_BODY, []) if healthz else self._org_answer(environ)
            if answer is not None:
                body, headers = answer
                start_response(
                    "200 OK",
                    [
                        ("Content-Type", "application/json"),
                        *headers,
                        ("Content-Length", str(len(body))),
                        (request_id.HEADER, rid),
                    ],
                )
                full_path = environ.get("SCRIPT_NAME", "") + path
                seconds = time.perf_counter() - started
                log_access(method, ROUTES[path], full_path, 200, seconds, None)
        finally:
            request_id.unbind(token)
        if answer is None:
            return self.django(environ, start_response)
        return [answer[0]]

    def _org_answer(self, environ: dict) -> tuple[bytes, list[tuple[str, str]]] | None:
        """A found org's body and headers, or None for anything Django should answer."""
        secure = self._is_secure(environ)
        if not self._plain(environ, secure):
            return None
        body = self._org_body(environ)
        if body is None:
            return None
        return body, self._org_headers(secure)

    def _plain(self, environ: dict, secure: bool) -> bool:
        """A JSON GET without a body that Django would neither refuse nor redirect."""
        if environ.get("HTTP_ACCEPT", "").strip() not in JSON_ACCEPTS:
            return False
        if environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return False
        if self.config.ssl_redirect and not secure:
            return False
        return self._host_allowed(environ)

    def _org_body(self, environ: dict) -> bytes | None:
        query_string = environ.get("QUERY_STRING", "")
        if not query_string.isascii():
            return None  # raw UTF-8 in the query: Django's decoding applies
        if "&" not in query_string and query_string.startswith(_NAME_FIELD):
            # the usual query, one field: what parse_qsl would give, without its generality
            name = unquote_plus(query_string[len(_NAME_FIELD) :], errors="replace")
            return self._found(name)
        try:
            pairs = parse_qsl(
                query_string,
                keep_blank_values=True,
                max_num_fields=self.config.max_fields,
            )
        except ValueError:
            return None  # too many fields: Django answers 400
        query = dict(pairs)  # the last value of a repeated name, as QueryDict.get gives
        if "format" in query:
            return None
        return self._found(query.get("organization_name"))

    def _found(self, name: str | None) -> bytes | None:
        try:
            org = selectors.organization_by_name(name)
        except AppError:
            return None
        return self._body(org)

    def _body(self, org) -> bytes:
        """The org's JSON, rendered once per document read: the org cache hands out the same
        object while the organizations collection is unchanged (a new read, a new object)."""
        held = self._bodies.get(id(org))
        if held is not None and held[0] is org:
            return held[1]
        body = _renderer.render(org_body(org))
        if len(self._bodies) >= _BODIES_REMEMBERED:
            self._bodies.clear()
        self._bodies[id(org)] = (org, body)  # holding the org keeps its id from being reused
        return body

    def _is_secure(self, environ: dict) -> bool:
        # HttpRequest.scheme: the trusted proxy's header when configured and present
        if self.config.proxy_ssl_header:
            header, secure_value = self.config.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    def _host_allowed(self, environ: dict) -> bool:
        # HttpRequest.get_host: X-Forwarded-Host when trusted, else Host (no Host: Django decides)
        if self.config.use_x_forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        else:
            host = environ.get("HTTP_HOST")
        if host is None:
            return False
        allowed = self._hosts.get(host)
        if allowed is None:
            domain, _ = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, self.config.allowed_hosts)
            if len(self._hosts) >= _HOSTS_REMEMBERED:
                self._hosts.clear()
            self._hosts[host] = allowed
        return allowed

    def _org_headers(self, secure: bool) -> list[tuple[str, str]]:
        """GET /org/get's headers besides the body's type and length and the request id: the
        view's, X-Frame-Options and those SecurityMiddleware adds over HTTPS or plain HTTP.
        They depend on the scheme only, so they are worked out once per scheme."""
        headers = self._headers.get(secure)
        if headers is None:
            response = SecurityMiddleware(lambda request: None).process_response(
                _Scheme(secure), HttpResponse()
            )
            headers = [
                ("Vary", "Accept"),
                ("Allow", "GET, HEAD, OPTIONS"),
                ("X-Frame-Options", self.config.x_frame_options),
                *((k, v) for k, v in response.items() if k != "Content-Type"),
            ]
            self._headers[secure] = headers
        return headers
