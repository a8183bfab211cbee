"""Request-level guards that must run before any view reads the body."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

from kernel.errors import PayloadTooLarge


class BodySizeLimitMiddleware:
    """Refuse a declared body over REQUEST_MAX_BYTES with 413 before it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return JsonResponse(
                {"code": "invalid_content_length", "detail": "Invalid Content-Length."},
                status=400,
            )
        if length > settings.REQUEST_MAX_BYTES:
            too_large = PayloadTooLarge()
            return JsonResponse(too_large.body(), status=too_large.status)
        return self.get_response(request)
