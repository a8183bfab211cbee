"""Routes of the members and invitations API: included by orgservice.urls at /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from organizations.members.views import InvitationAcceptView, InvitationViewSet, MemberViewSet

router = SimpleRouter(trailing_slash=True)
router.register(r"orgs/(?P<org_slug>[^/]+)/members", MemberViewSet, basename="org-members")
router.register(
    r"orgs/(?P<org_slug>[^/]+)/invitations", InvitationViewSet, basename="org-invitations"
)

urlpatterns = [
    path("invitations/accept/", InvitationAcceptView.as_view(), name="invitation-accept"),
    *router.urls,
]
