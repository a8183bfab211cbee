"""The API docs pages (Swagger UI, ReDoc): every asset from our own origin, under a strict CSP."""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

# Scripts only from our own origin (no inline script, no eval). Styles need 'unsafe-inline':
# both UIs set style attributes and ReDoc injects <style> elements at run time.
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class _StrictCSP:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response


class SwaggerDocsView(_StrictCSP, SpectacularSwaggerSplitView):
    """Swagger UI; its start-up script is a separate same-origin request (`?script`), not inline."""


class RedocDocsView(_StrictCSP, SpectacularRedocView):
    """ReDoc, without the stock template's Google Fonts links (it falls back to local fonts)."""

    template_name = "orgservice/redoc.html"
