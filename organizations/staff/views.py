"""The admin panel's pages for organizations (list, detail, actions), mixed into the ModelAdmin
of organizations.admin. Each view is thin: a validated form, one staff service, a message."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from kernel.errors import AppError
from organizations.orgs import retention
from organizations.staff import selectors, services
from organizations.staff.forms import (
    ConfirmForm,
    CreateOrgForm,
    DeleteForm,
    RenameForm,
    ResetPasswordForm,
    ServiceForm,
)
from organizations.staff.selectors import ListQuery, OrgPage

# Deleting an org, resetting an admin's password and reconciling every org take this permission
# (superusers have it); every other page and action is open to any active staff user.
MANAGE = "organizations.manage_organizations"


def _url(name: str, *args: str) -> str:
    return reverse(f"admin:organizations_organization_{name}", args=args)


def _list_url(query: ListQuery, **changes: object) -> str:
    params = {"q": query.search, "sort": query.sort, "p": query.page, **changes}
    kept = {k: v for k, v in params.items() if v not in ("", None)}
    return f"{_url('changelist')}?{urlencode(kept)}"


def _posted(request: HttpRequest):
    """The submitted data of a POST (even an empty one), None otherwise: the form is bound."""
    return request.POST if request.method == "POST" else None


def _sort_links(query: ListQuery) -> dict[str, str]:
    """For each sortable column, the URL that sorts by it (reversing the current order)."""
    links = {}
    for field in ("slug", "created_at"):
        target = f"-{field}" if query.sort == field else field
        links[field] = _list_url(query, sort=target, p=1)
    return links


def _page_links(page: OrgPage) -> dict[str, str | None]:
    query = page.query
    return {
        "first": _list_url(query, p=1) if page.page > 1 else None,
        "previous": _list_url(query, p=page.page - 1) if page.page > 1 else None,
        "next": _list_url(query, p=page.page + 1) if page.page < page.pages else None,
        "last": _list_url(query, p=page.pages) if page.page < page.pages else None,
    }


class OrgPanel:
    """The views; ``admin_site``, ``model`` and ``message_user`` come from ModelAdmin."""

    def _can_manage(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm(MANAGE)

    def _require(self, request: HttpRequest, *, manage: bool = False) -> None:
        allowed = self._can_manage(request) if manage else request.user.is_staff
        if not (request.user.is_active and allowed):
            raise PermissionDenied

    def _render(self, request: HttpRequest, template: str, **context: object) -> TemplateResponse:
        base = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "can_manage": self._can_manage(request),
            "list_url": _url("changelist"),
            "retention": retention.window(),  # deletes are restorable within it
        }
        return TemplateResponse(request, f"admin/organizations/{template}", {**base, **context})

    def _failed(self, request: HttpRequest, exc: AppError, to: str) -> HttpResponse:
        self.message_user(request, exc.message, messages.ERROR)
        return redirect(to)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        self._require(request)
        query = ListQuery.from_params(request.GET)
        try:
            page = selectors.org_page(query)
        except AppError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            page = OrgPage(orgs=[], total=0, page=1, pages=1, query=query)
        return self._render(
            request,
            "org_list.html",
            title="Organizations",
            page=page,
            sort_links=_sort_links(query),
            page_links=_page_links(page),
        )

    def detail_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        self._require(request)
        try:
            detail = selectors.org_detail(org_id)
        except AppError as exc:
            return self._failed(request, exc, _url("changelist"))
        return self._render(request, "org_detail.html", title=detail.org.name, detail=detail)

    def _form_page(
        self,
        request: HttpRequest,
        form: ServiceForm,
        perform: Callable[[dict], str],
        *,
        done_url: Callable[[], str],
        **context: object,
    ) -> HttpResponse:
        """GET shows the form; a valid POST runs ``perform`` (which returns the success message)
        and redirects; an application error goes back on the form and into the messages."""
        if request.method == "POST" and form.is_valid():
            try:
                message = perform(form.cleaned_data)
            except AppError as exc:
                form.add_app_error(exc)
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect(done_url())
        return self._render(request, "org_form.html", form=form, **context)

    def _confirm_page(
        self, request: HttpRequest, perform: Callable[[dict], str], **context: object
    ) -> HttpResponse:
        """``_form_page`` of an action over every org: a confirmation, then back to the list."""
        form = ConfirmForm(_posted(request))
        return self._form_page(
            request, form, perform, done_url=lambda: _url("changelist"), **context
        )

    def create_view(self, request: HttpRequest) -> HttpResponse:
        self._require(request)
        created: list[str] = []

        def perform(data: dict) -> str:
            org = services.create_org(
                username=request.user.get_username(),
                name=data["name"],
                admin_email=data["email"],
                admin_password=data["password"],
            )
            created.append(org.id)
            return f"Created organization “{org.name}” ({org.slug})."

        form = CreateOrgForm(_posted(request))
        return self._form_page(
            request,
            form,
            perform,
            done_url=lambda: _url("detail", created[0]),
            title="Add organization",
            submit="Create",
        )

    def _org_or_list(self, request: HttpRequest, org_id: str):
        try:
            return services.staff_org(org_id), None
        except AppError as exc:
            return None, self._failed(request, exc, _url("changelist"))

    def rename_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        self._require(request)
        org, failed = self._org_or_list(request, org_id)
        if failed:
            return failed

        def perform(data: dict) -> str:
            renamed = services.rename_org(
                username=request.user.get_username(), org_id=org.id, new_name=data["name"]
            )
            return f"Renamed “{org.name}” to “{renamed.name}” ({renamed.slug})."

        form = RenameForm(_posted(request), initial={"name": org.name})
        return self._form_page(
            request,
            form,
            perform,
            done_url=lambda: _url("detail", org.id),
            title=f"Rename {org.name}",
            org=org,
            submit="Rename",
        )

    def password_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        self._require(request, manage=True)
        org, failed = self._org_or_list(request, org_id)
        if failed:
            return failed
        try:
            choices = [(s.id, s.email) for s in selectors.member_summaries(org.id)]
        except AppError as exc:
            return self._failed(request, exc, _url("changelist"))
        emails = dict(choices)

        def perform(data: dict) -> str:
            services.reset_password(
                username=request.user.get_username(),
                org_id=org.id,
                member_id=data["admin"],
                password=data["password"],
            )
            return (
                f"Password of {emails[data['admin']]} reset; "
                "their earlier sessions and tokens no longer work."
            )

        form = ResetPasswordForm(_posted(request), admins=choices)
        return self._form_page(
            request,
            form,
            perform,
            done_url=lambda: _url("detail", org.id),
            title=f"Reset the admin's password of {org.name}",
            org=org,
            submit="Reset password",
        )

    def delete_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        self._require(request, manage=True)
        org, failed = self._org_or_list(request, org_id)
        if failed:
            return failed

        def perform(data: dict) -> str:
            kept = services.delete_org(username=request.user.get_username(), org_id=org.id)
            if kept is not None:
                return f"Deleted “{org.name}”; it can be restored until {kept.purge_after:%c} UTC."
            return f"Deleted organization “{org.name}” ({org.slug}) with its admins and records."

        form = DeleteForm(_posted(request), org=org)
        return self._form_page(
            request,
            form,
            perform,
            done_url=lambda: _url("changelist"),
            title=f"Delete {org.name}",
            org=org,
            submit="Delete for good",
            danger=True,
        )

    def reconcile_view(self, request: HttpRequest, org_id: str) -> HttpResponse:
        self._require(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            outcome = services.reconcile_org(username=request.user.get_username(), org_id=org_id)
        except AppError as exc:
            return self._failed(request, exc, _url("changelist"))
        self.message_user(request, f"Reconcile: {outcome}.", messages.SUCCESS)
        return redirect(_url("detail", org_id))

    def reconcile_all_view(self, request: HttpRequest) -> HttpResponse:
        self._require(request, manage=True)

        def perform(data: dict) -> str:
            report = services.reconcile_all(username=request.user.get_username())
            if not report.changed:
                return "Reconciled every organization: nothing to do."
            parts = [f"{slug}: {outcome}" for slug, outcome in sorted(report.operations.items())]
            parts += [f"dropped orphan collection {name}" for name in report.dropped_collections]
            parts += [f"removed admins of missing org {i}" for i in report.removed_admins_of]
            parts += [f"released stale slug {slug}" for slug in report.released_slugs]
            return "Reconciled every organization: " + "; ".join(parts) + "."

        return self._confirm_page(
            request, perform, title="Reconcile every organization", submit="Reconcile all"
        )
