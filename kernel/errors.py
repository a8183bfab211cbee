"""The application's error hierarchy: each error has an HTTP status and a stable code."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error the service reports to a client on purpose."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def body(self) -> dict[str, Any]:
        """The JSON error body every client sees: ``{"code", "detail"[, "fields"]}``."""
        body: dict[str, Any] = {"code": self.code, "detail": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class InvalidInput(AppError):
    status = 400
    code = "invalid"


class AuthenticationFailed(AppError):
    status = 401
    code = "authentication_failed"
    # Sent as the WWW-Authenticate header when set (RFC 9110: a 401 names its scheme).
    challenge: str | None = None


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class AlreadyExists(AppError):
    status = 409
    code = "already_exists"


class Conflict(AppError):
    """The resource is busy or changed underneath; retrying later may succeed."""

    status = 409
    code = "conflict"


class Busy(Conflict):
    """An operation on the organization is in flight: retry after ``retry_after`` seconds."""

    code = "org_busy"

    def __init__(self, message: str, *, retry_after: int = 1, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class Gone(AppError):
    """The resource existed but can no longer be used (an expired, revoked or used invitation)."""

    status = 410
    code = "gone"


class Unprocessable(AppError):
    """Well-formed, but contradicts what the server already holds (an Idempotency-Key reused
    with another request)."""

    status = 422
    code = "unprocessable"


class PayloadTooLarge(AppError):
    """A body over REQUEST_MAX_BYTES (refused by orgservice.middleware or by Django's own cap)."""

    status = 413
    code = "payload_too_large"

    def __init__(self, message: str = "Request body too large.", **kwargs: Any):
        super().__init__(message, **kwargs)


class RateLimited(AppError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class Unavailable(AppError):
    status = 503
    code = "unavailable"
