"""The admin panel's audit export: every org's events (or one org's, ``?org=<id>``), streamed
as NDJSON or CSV (``?format=``), with the API's filters (event, actor, from, to). It takes the
manage_organizations permission, and is itself audited (``staff_audit_exported``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kernel.errors import AppError
from organizations.audit import services
from organizations.audit.views import export_response
from organizations.staff.services import actor_for
from tenancy import audit

FORMATS = ("ndjson", "csv")


class AuditExportPanel:
    """Mixed into organizations.admin's ModelAdmin, next to organizations.staff.views.OrgPanel."""

    def audit_export_view(self, request: HttpRequest) -> HttpResponse:
        if not self._can_manage(request):
            raise PermissionDenied
        params = dict(request.GET.lists())
        fmt = params.pop("format", ["ndjson"])
        try:
            if len(fmt) != 1 or fmt[0] not in FORMATS:
                raise AppError("format must be ndjson or csv.", code="invalid_query")
            events = services.staff_audit_export(params)
        except AppError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return redirect(reverse("admin:organizations_organization_changelist"))
        username = request.user.get_username()
        filters = {k: v[0] for k, v in params.items()}
        audit.record("staff_audit_exported", actor=actor_for(username), filters=filters)
        return export_response(events, fmt[0], "audit")
