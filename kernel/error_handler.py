"""DRF exception handler: every error becomes JSON `{"code", "detail"[, "fields"]}`."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kernel.errors import AppError, AuthenticationFailed, PayloadTooLarge

_DRF_CODES = {
    exceptions.ParseError: "malformed_body",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
    exceptions.ValidationError: "invalid",
}


def _app_error_response(exc: AppError) -> Response:
    response = Response(exc.body(), status=exc.status)
    retry_after = getattr(exc, "retry_after", None)  # RateLimited, Busy, ServerBusy
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    if isinstance(exc, AuthenticationFailed) and exc.challenge:
        response["WWW-Authenticate"] = exc.challenge
    return response


def _drf_code(exc: exceptions.APIException) -> str:
    for cls in type(exc).__mro__:
        if cls in _DRF_CODES:
            return _DRF_CODES[cls]
    return "error"


def exception_handler(exc, context):
    """Map application errors and DRF's own errors to one JSON shape."""
    if isinstance(exc, AppError):
        return _app_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        return _app_error_response(PayloadTooLarge())
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"code": "invalid", "detail": "Invalid input.", "fields": fields}
    else:
        detail = response.data.get("detail", str(exc)) if isinstance(response.data, dict) else exc
        if isinstance(exc, exceptions.Throttled):  # the body of kernel.errors.RateLimited
            detail = "Too many attempts; retry later."
        response.data = {"code": _drf_code(exc), "detail": str(detail)}
    return response
