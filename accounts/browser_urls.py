"""Routes of the browsable API's login and logout, in DRF's ``rest_framework`` namespace so that
its pages show "Log in" and "Log out" links to them."""

from django.urls import path

from accounts import browser_views

app_name = "rest_framework"

urlpatterns = [
    path("login/", browser_views.login, name="login"),
    path("logout/", browser_views.logout, name="logout"),
]
