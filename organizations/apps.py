"""Django app config for organizations."""

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
