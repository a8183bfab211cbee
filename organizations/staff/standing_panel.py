"""The admin panel's standing actions, mixed into the ModelAdmin next to OrgPanel: suspend (with
a reason), resume and restore an org, and purge the deleted orgs whose restore window ended."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from organizations.staff import services
from organizations.staff.forms import ConfirmForm, SuspendForm
from organizations.staff.views import _posted, _url
from tenancy.documents import Org


class OrgStandingPanel:
    """Suspend, resume and restore are open to any active staff user (each is undone by
    another); purging removes data for good and takes the manage permission."""

    def _standing_page(
        self,
        request: HttpRequest,
        org_id: str,
        form_class: type,
        perform: Callable[[Org, dict], str],
        **context: object,
    ) -> HttpResponse:
        self._require(request)
        org, failed = self._org_or_list(request, org_id)
        if failed:
            return failed
        return self._form_page(
            request,
            form_class(_posted(request)),
            lambda data: perform(org, data),
            done_url=lambda: _url("detail", org.id),
            org=org,
            title=f"{context.pop('verb')} {org.name}",
            **context,
        )

    def suspend_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        def perform(org: Org, data: dict) -> str:
            services.suspend_org(username=request.user.get_username(), org_id=org.id, **data)
            return f"Suspended “{org.name}”: its members can no longer log in or use tokens."

        return self._standing_page(
            request,
            org_id,
            SuspendForm,
            perform,
            verb="Suspend",
            submit="Suspend",
            notice="Its members' logins, tokens and sessions are refused until it is resumed; "
            "its records are kept untouched.",
        )

    def resume_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        def perform(org: Org, data: dict) -> str:
            services.resume_org(username=request.user.get_username(), org_id=org.id)
            return f"Resumed “{org.name}”: its members have their access back."

        return self._standing_page(
            request, org_id, ConfirmForm, perform, verb="Resume", submit="Resume"
        )

    def restore_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        def perform(org: Org, data: dict) -> str:
            done = services.restore_org(username=request.user.get_username(), org_id=org.id)
            return f"Restored “{org.name}” ({done.status})."

        return self._standing_page(
            request, org_id, ConfirmForm, perform, verb="Restore", submit="Restore"
        )

    def purge_view(self, request: HttpRequest) -> HttpResponse:
        self._require(request, manage=True)

        def perform(data: dict) -> str:
            outcomes = services.purge_orgs(username=request.user.get_username())
            if not outcomes:
                return "Nothing to purge: no deleted organization's restore window has ended."
            return "Purged: " + "; ".join(f"{s}: {o}" for s, o in sorted(outcomes.items())) + "."

        return self._confirm_page(
            request,
            perform,
            title="Purge deleted organizations whose restore window has ended",
            submit="Purge for good",
            danger=True,
            notice="Every deleted organization whose restore window has ended is removed for "
            "good, with its members and records. This cannot be undone.",
        )
