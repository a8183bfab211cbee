"""The outermost middleware: binds the request id, logs one JSON access line, counts the request."""

from __future__ import annotations

import logging
import time

from accounts.api_keys import ApiKeyPrincipal
from accounts.principal import MemberPrincipal
from kernel import request_id
from kernel.metrics import observe_request

logger = logging.getLogger("orgservice.access")


def _org_id(request) -> str | None:
    # DRF sets the authenticated principal on the Django request too. Read it from __dict__ so
    # that Django's lazy session user is never evaluated (that would query the session store).
    user = request.__dict__.get("user")
    return user.org_id if isinstance(user, (MemberPrincipal, ApiKeyPrincipal)) else None


class AccessRecord(logging.LogRecord):
    """The access line's log record, made in a quarter of a LogRecord's time (measured under
    gunicorn for [perf-2]: making, filtering and writing the line was a fifth of /healthz).

    It is what ``logger.info("request", extra=fields)`` makes, with the same attributes, without
    working out again on every request what never changes (the level's name, the file and module
    names of a record made here, no exception or stack). The thread and process are looked up
    only while logging's flags ask for them (kernel.jsonlog turns them off, as the JSON line
    prints neither). Filters and formatters see a LogRecord like any other."""

    def __init__(self, fields: dict) -> None:  # LogRecord.__init__ is not called: see above
        created = time.time()
        attributes = self.__dict__
        attributes.update(_UNCHANGING)
        attributes["created"] = created
        attributes["msecs"] = int((created - int(created)) * 1000) + 0.0  # as LogRecord
        attributes["relativeCreated"] = (created - _LOGGING_STARTED) * 1000
        if logging.logThreads or logging.logProcesses or logging.logMultiprocessing:
            attributes.update(_looked_up())
        attributes.update(fields)


def _looked_up() -> dict:
    """The thread and process fields a LogRecord made now would carry."""
    record = logging.makeLogRecord({})
    return {key: getattr(record, key) for key in ("thread", "threadName", "process", "processName")}


def _unchanging() -> dict:
    """The attributes of an access line's record that are the same on every request."""
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 0, "request", (), None)
    attributes = vars(record)
    for timed in ("created", "msecs", "relativeCreated"):
        del attributes[timed]
    attributes.update(thread=None, threadName=None, process=None, processName=None)  # flags off
    return attributes


_UNCHANGING = _unchanging()
_any = logging.makeLogRecord({})
_LOGGING_STARTED = _any.created - _any.relativeCreated / 1000  # what relativeCreated counts from
del _any


def log_access(
    method: str, route: str | None, path: str, status: int, seconds: float, org_id: str | None
) -> None:
    """Count one answered request and write its access line (under the bound request id)."""
    observe_request(method, route, status, seconds)
    if logger.isEnabledFor(logging.INFO):
        fields = {
            "method": method,
            "route": route,
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "org_id": org_id,
        }
        logger.handle(AccessRecord(fields))


class RequestLogMiddleware:
    """Takes a sane X-Request-ID or makes one, echoes it, and logs method, route, path, status,
    duration, request id and the admin's org id. Never the query string, body or headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id.accept(request.headers.get(request_id.HEADER))
        token = request_id.bind(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[request_id.HEADER] = rid
            match = getattr(request, "resolver_match", None)
            log_access(
                request.method,
                match.route if match else None,
                request.path,
                response.status_code,
                time.perf_counter() - started,
                _org_id(request),
            )
            return response
        finally:
            request_id.unbind(token)
