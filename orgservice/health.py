"""Liveness and readiness probes, and the middleware that answers them ahead of host checks."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import resolve

from kernel.errors import AppError
from tenancy.indexes import missing_master_indexes
from tenancy.privileges import missing_privileges
from tenancy.stores.client import ping

PROBE_PATHS = frozenset({"/healthz", "/readyz"})


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving; touches nothing else."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when MongoDB answers, every master index exists and the user holds every privilege
    the enabled placements need (checked at most every 30 s); 503 with the reason otherwise."""
    try:
        ping()
        lacking = missing_privileges()
        if lacking:  # before the index check, which itself needs listIndexes
            return JsonResponse(
                {"status": "unavailable", "reason": "privileges_missing", "missing": lacking},
                status=503,
            )
        missing = missing_master_indexes()
    except AppError as exc:
        return JsonResponse(
            {"status": "unavailable", "reason": exc.code, "detail": exc.message}, status=503
        )
    if missing:
        return JsonResponse(
            {"status": "unavailable", "reason": "indexes_missing", "detail": sorted(missing)},
            status=503,
        )
    return JsonResponse({"status": "ok"})


class ProbeMiddleware:
    """Serve the probes before ALLOWED_HOSTS and the HTTPS redirect are applied: orchestrators
    probe the container's own address over plain HTTP. The probes reveal nothing sensitive."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._matches: dict = {}  # resolved once: walking every URL pattern cost 15% of /healthz

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info in PROBE_PATHS:
            match = self._matches.get(request.path_info)
            if match is None:
                match = self._matches[request.path_info] = resolve(request.path_info)
            request.resolver_match = match
            return match.func(request)
        return self.get_response(request)
