"""WSGI entry point (gunicorn orgservice.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orgservice.settings")
application = get_wsgi_application()

# The liveness probe and GET /org/get are answered ahead of Django (orgservice.edge says why).
from orgservice.edge import Edge  # noqa: E402

application = Edge(application)

# Unsafe production settings (e.g. a weak SECRET_KEY with DEBUG off) stop the worker from booting.
from orgservice.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
