"""The outermost middleware: binds the request id, logs one JSON access line, counts the request."""

from __future__ import annotations

import logging
import time

from accounts.api_keys import ApiKeyPrincipal
from accounts.principal import MemberPrincipal
from kernel import request_id
from kernel.jsonlog import JsonFormatter, json_line
from kernel.metrics import observe_request
from kernel.redaction import RedactionFilter, may_hold_secret

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


def access_fields(
    method: str, route: str | None, path: str, status: int, seconds: float, org_id: str | None
) -> dict:
    """The access line's fields, in the line's order."""
    return {
        "method": method,
        "route": route,
        "path": path,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "org_id": org_id,
    }


def log_access(
    method: str, route: str | None, path: str, status: int, seconds: float, org_id: str | None
) -> None:
    """Count one answered request and write its access line (under the bound request id)."""
    observe_request(method, route, status, seconds)
    if logger.isEnabledFor(logging.INFO):
        fields = access_fields(method, route, path, status, seconds, org_id)
        handler = _shipped_handler()
        if handler is None or not _write_directly(handler, fields):
            logger.handle(AccessRecord(fields))


# The access line written straight to the handler settings.LOGGING configures. Measured under
# gunicorn for [perf-2]: the record, its trip through logging's handler chain, the two filters
# and the formatter were an eighth of /healthz's time (the write is another eighth).
# This path makes the same line, in the same bytes, with the same handler's lock, stream and
# terminator, and is taken only while logging is as shipped: the access logger's records reach
# exactly one handler, a StreamHandler with the JSON formatter and the request id and redaction
# filters, and nothing else (a handler an operator or pytest adds, a filter, another formatter:
# logging's own path). A line that might hold a secret also goes logging's way, to be masked.
_SHIPPED_FILTERS = [request_id.RequestIdFilter, RedactionFilter]


def _shipped_handler() -> logging.StreamHandler | None:
    """The one handler the access logger's records reach, when logging is as shipped."""
    if logger.filters or logger.disabled:
        return None
    found = None
    current = logger
    while current is not None:
        for handler in current.handlers:
            if found is not None:
                return None
            found = handler
        current = current.parent if current.propagate else None
    if (
        type(found) is not logging.StreamHandler
        or found.level > logging.INFO
        or type(found.formatter) is not JsonFormatter
        or [type(f) for f in found.filters] != _SHIPPED_FILTERS
    ):
        return None
    return found


def _write_directly(handler: logging.StreamHandler, fields: dict) -> bool:
    """Write the line JsonFormatter makes of ``AccessRecord(fields)``; False when the fields
    might hold a secret to mask (the caller logs them the usual way)."""
    if may_hold_secret(*(value for value in fields.values() if isinstance(value, str))):
        return False
    line = json_line(time.time(), "INFO", logger.name, "request", request_id.current(), fields)
    try:
        with handler.lock:
            handler.stream.write(line + handler.terminator)
            handler.stream.flush()
    except Exception:  # as logging.Handler reports a failed emit, on stderr
        handler.handleError(AccessRecord(fields))
    return True


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
