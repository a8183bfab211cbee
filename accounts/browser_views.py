"""Log in and out of the browsable API with the admin's email and password (a session; see
accounts.session_auth). Named as DRF's own, so its pages link to them."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from accounts import session_auth
from kernel.client_ip import client_ip
from kernel.errors import AppError

API_ROOT = "/api/v1/"


class BrowserLoginForm(forms.Form):
    email = forms.CharField(label="Email", max_length=254)
    password = forms.CharField(
        label="Password", max_length=1024, strip=False, widget=forms.PasswordInput
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or API_ROOT
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else API_ROOT


@never_cache
@csrf_protect
def login(request: HttpRequest) -> HttpResponse:
    form = BrowserLoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            session_auth.log_in(request, **form.cleaned_data, ip=client_ip(request))
        except AppError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            return redirect(_next(request))
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/browser_login.html", context, status=status)


@never_cache
@csrf_protect
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    session_auth.log_out(request, ip=client_ip(request))
    return redirect(_next(request))
