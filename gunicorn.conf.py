"""gunicorn settings for `make run` and production; every value overridable by environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"


def post_fork(server, worker):
    """A forked worker must never reuse its parent's MongoDB client."""
    from tenancy.client import reset_clients

    reset_clients()
