"""Django's error views (handler400/403/404/500, CSRF failure) answering in the API's JSON error
shape, so that no path outside DRF ever answers with an HTML page or a stack trace."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """A request Django refuses before any view (a Host outside ALLOWED_HOSTS, and the like)."""
    return _error(400, "bad_request", "Bad request.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return _error(403, "forbidden", "You do not have permission to do this.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return _error(404, "not_found", "Not found.")


def server_error(request: HttpRequest) -> JsonResponse:
    """Every unexpected error: the traceback goes to the log (django.request), never the client."""
    return _error(500, "server_error", "Internal server error.")


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    """A form post (the browser login, the admin panel) without a valid CSRF token."""
    return _error(403, "csrf_failed", "CSRF verification failed; reload the page and retry.")
