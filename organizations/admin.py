"""The admin site's "Organizations" section, backed by MongoDB (django-rq's pattern): an
unmanaged placeholder model whose ModelAdmin serves our own pages (organizations.staff.views)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, path, re_path

from organizations.models import Organization
from organizations.staff.audit_export import AuditExportPanel
from organizations.staff.standing_panel import OrgStandingPanel
from organizations.staff.views import MANAGE, OrgPanel

_ID = r"^(?P<org_id>[0-9a-f]{24})/"


def _is_staff(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff


@admin.register(Organization)
class OrganizationAdmin(OrgStandingPanel, AuditExportPanel, OrgPanel, admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_staff(request) and request.user.has_perm(MANAGE)

    def get_urls(self) -> list[URLPattern]:
        """Only our pages: the ORM-backed defaults (change, history, …) have no table to read."""
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("", wrap(self.changelist_view), name=f"{name}_changelist"),
            path("add/", wrap(self.create_view), name=f"{name}_add"),
            path("reconcile/", wrap(self.reconcile_all_view), name=f"{name}_reconcile_all"),
            path("audit-export/", wrap(self.audit_export_view), name=f"{name}_audit_export"),
            re_path(f"{_ID}$", wrap(self.detail_view), name=f"{name}_detail"),
            re_path(f"{_ID}rename/$", wrap(self.rename_view), name=f"{name}_rename"),
            re_path(f"{_ID}password/$", wrap(self.password_view), name=f"{name}_password"),
            re_path(f"{_ID}delete/$", wrap(self.delete_view), name=f"{name}_delete"),
            re_path(f"{_ID}reconcile/$", wrap(self.reconcile_view), name=f"{name}_reconcile"),
            re_path(f"{_ID}suspend/$", wrap(self.suspend_view), name=f"{name}_suspend"),
            re_path(f"{_ID}resume/$", wrap(self.resume_view), name=f"{name}_resume"),
            re_path(f"{_ID}restore/$", wrap(self.restore_view), name=f"{name}_restore"),
            path("purge/", wrap(self.purge_view), name=f"{name}_purge"),
        ]
