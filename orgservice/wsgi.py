"""WSGI entry point (gunicorn orgservice.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orgservice.settings")
application = get_wsgi_application()
