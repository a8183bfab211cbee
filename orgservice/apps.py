"""The project's own app config: registers system checks and the OpenAPI auth scheme."""

import logging

from django.apps import AppConfig


class OrgserviceConfig(AppConfig):
    name = "orgservice"
    verbose_name = "orgservice"

    def ready(self) -> None:
        from orgservice import checks, openapi  # noqa: F401 (registers checks, schema extension)

        # Python warnings go through logging too, so they come out as JSON lines.
        logging.captureWarnings(True)
