"""Routes of the records API, nested under an org: included by orgservice.urls at /api/v1/."""

from rest_framework.routers import SimpleRouter

from organizations.records.views import RecordExportViewSet, RecordViewSet

router = SimpleRouter(trailing_slash=True)
router.register(r"orgs/(?P<org_slug>[^/]+)/records", RecordViewSet, basename="org-records")
router.register(r"orgs/(?P<org_slug>[^/]+)/export", RecordExportViewSet, basename="org-export")

urlpatterns = router.urls
