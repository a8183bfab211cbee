"""GET /metrics: the Prometheus exposition of kernel.metrics, guarded by METRICS_TOKEN."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from kernel import metrics
from kernel.errors import AppError
from tenancy import orgs


class PendingOperations(Collector):
    """Orgs with an operation in flight (create, rename, move, delete), counted at scrape time:
    once per scrape, whichever worker answers it. Left out when the store does not answer."""

    def collect(self):
        try:
            count = orgs.pending_count()
        except AppError:
            return
        yield GaugeMetricFamily(
            "orgservice_pending_org_operations",
            "Organizations with an operation in flight (pending set), read at scrape time.",
            value=count,
        )

    def describe(self):
        return []


def _authorized(request: HttpRequest, token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """With METRICS_TOKEN set, 401 unless the request sends it as a bearer token. Without one,
    open when DEBUG and 404 (as if there were no such page) otherwise."""
    token = settings.METRICS_TOKEN
    if not token and not settings.DEBUG:
        raise Http404("Metrics are disabled: METRICS_TOKEN is not set.")
    if token and not _authorized(request, token):
        response = JsonResponse(
            {"code": "not_authenticated", "detail": "A valid metrics bearer token is required."},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = generate_latest(metrics.registry(extra=[PendingOperations()]))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
