# orgservice: gunicorn on python:3.11-slim, as a non-root user. See README, "Production".

# --- build: install the pinned requirements into a virtualenv ---
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

# --- runtime: the virtualenv and the code, nothing else ---
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=app:app . /app
# Static files are collected at build time; collectstatic reads no secret, so a throwaway key.
RUN SECRET_KEY=collectstatic-only JWT_SIGNING_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/var && chown app:app /app/var
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"
# Migrate Django's small SQLite database and ensure the MongoDB master indexes (both idempotent),
# then hand PID 1 to gunicorn so SIGTERM reaches it for a graceful shutdown.
CMD ["sh", "-c", "python manage.py migrate --noinput -v 0 && python manage.py ensure_indexes && exec gunicorn -c gunicorn.conf.py orgservice.wsgi"]
