"""Routes of the audit log API, nested under an org: included by orgservice.urls at /api/v1/."""

from rest_framework.routers import SimpleRouter

from organizations.audit.views import AuditViewSet

router = SimpleRouter(trailing_slash=True)
router.register(r"orgs/(?P<org_slug>[^/]+)/audit", AuditViewSet, basename="org-audit")

urlpatterns = router.urls
