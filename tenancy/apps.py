"""Django app config for tenancy (registers its system checks)."""

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "tenancy"

    def ready(self) -> None:
        from tenancy import checks  # noqa: F401  (registers the checks)
