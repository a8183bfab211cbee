"""URL routes: the assignment's five, the REST API under /api/v1/, OpenAPI and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from accounts.views import AuthViewSet
from organizations.orgs import legacy
from organizations.orgs.standing_views import OwnerRestoreView
from organizations.orgs.views import OrganizationViewSet
from orgservice import health
from orgservice.api_docs import RedocDocsView, SwaggerDocsView
from orgservice.metrics_endpoint import metrics_view

router = DefaultRouter(trailing_slash=True)
router.register("orgs", OrganizationViewSet, basename="org")
router.register("auth", AuthViewSet, basename="auth")

urlpatterns = [
    path("org/create", legacy.OrgCreateView.as_view(), name="legacy-org-create"),
    path("org/get", legacy.OrgGetView.as_view(), name="legacy-org-get"),
    path("org/update", legacy.OrgUpdateView.as_view(), name="legacy-org-update"),
    path("org/delete", legacy.OrgDeleteView.as_view(), name="legacy-org-delete"),
    path("admin/login", legacy.AdminLoginView.as_view(), name="legacy-admin-login"),
    path("api/v1/orgs/restore/", OwnerRestoreView.as_view(), name="org-owner-restore"),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("organizations.records.urls")),
    path("api/v1/", include("organizations.members.urls")),
    path("api/v1/", include("organizations.apikeys.urls")),
    path("api/v1/", include("organizations.audit.urls")),
    path("api/v1/", include("organizations.webhooks.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerDocsView.as_view(url_name="schema"), name="docs"),
    path("api/redoc/", RedocDocsView.as_view(url_name="schema"), name="redoc"),
    path("admin/", admin.site.urls),
    # Browsable API login/logout for org admins (a session; accounts.session_auth).
    path("api-auth/", include("accounts.browser_urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
]

# Errors outside DRF answer in the same JSON shape as the API (kernel.error_views).
handler400 = "kernel.error_views.bad_request"
handler403 = "kernel.error_views.permission_denied"
handler404 = "kernel.error_views.page_not_found"
handler500 = "kernel.error_views.server_error"
