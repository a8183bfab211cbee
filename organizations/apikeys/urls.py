"""Routes of the API keys API, nested under an org: included by orgservice.urls at /api/v1/."""

from rest_framework.routers import SimpleRouter

from organizations.apikeys.views import ApiKeyViewSet

router = SimpleRouter(trailing_slash=True)
router.register(r"orgs/(?P<org_slug>[^/]+)/api-keys", ApiKeyViewSet, basename="org-api-keys")

urlpatterns = router.urls
