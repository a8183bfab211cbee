"""Routes of the webhooks API: included by orgservice.urls at /api/v1/."""

from rest_framework.routers import SimpleRouter

from organizations.webhooks.views import WebhookViewSet

router = SimpleRouter(trailing_slash=True)
router.register(r"orgs/(?P<org_slug>[^/]+)/webhooks", WebhookViewSet, basename="org-webhooks")

urlpatterns = router.urls
