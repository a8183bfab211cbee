"""gunicorn's own log (boot, worker and, when enabled, access lines) as JSON, like the app's."""

from __future__ import annotations

from gunicorn import glogging

from kernel.jsonlog import JsonFormatter
from kernel.redaction import RedactionFilter


class JsonLogger(glogging.Logger):
    """Every gunicorn handler writes JsonFormatter lines through the redaction filter."""

    def _set_handler(self, log, output, fmt, stream=None):
        super()._set_handler(log, output, fmt, stream)
        handler = self._get_gunicorn_handler(log)
        if handler is not None:
            handler.setFormatter(JsonFormatter())
            handler.addFilter(RedactionFilter())

    def access(self, resp, req, environ, request_time) -> None:
        """One JSON line per response; no query string, no request headers but the id."""
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        self.access_log.info(
            "access",
            extra={
                "remote_addr": atoms["h"],
                "method": atoms["m"],
                "path": atoms["U"],
                "status": int(atoms["s"]),
                "bytes": atoms["B"],
                "duration_ms": round(request_time.total_seconds() * 1000, 2),
                "request_id": atoms.get("{x-request-id}o"),
                "user_agent": atoms["a"],
            },
        )
