# orgservice: the two front-door commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint bench setup clean env-complete

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# A fresh clone gets its own random SECRET_KEY and JWT_SIGNING_KEY, kept out of git in .env;
# an older .env gets the keys it lacks appended (env-complete).
.env:
	$(PYTHON) scripts/make_env.py > .env

env-complete: .env
	$(PYTHON) scripts/make_env.py --complete .env

setup: $(VENV)/.installed env-complete
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py ensure_indexes

# The webhook worker runs next to gunicorn; Ctrl-C (or gunicorn exiting) stops both.
run: setup
	$(PY) manage.py reconcile_orgs
	$(PY) manage.py deliver_webhooks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py orgservice.wsgi

dev: setup
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed env-complete
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

# Bounded loopback benchmarks against gunicorn as `make run` starts it (needs wrk).
bench: $(VENV)/.installed env-complete
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) -m bench.run
	$(PY) -m bench.placement_scale

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var staticfiles
