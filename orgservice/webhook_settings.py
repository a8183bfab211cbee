"""Webhook settings (organizations.webhooks; README "Webhooks"), read from the environment after
orgservice.settings has loaded .env; orgservice.settings takes every name here."""

import environ

env = environ.Env()

# Loopback endpoints (and plain http to them) for development and tests only; private,
# link-local, multicast and reserved addresses are refused whatever this says.
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Retry n waits min(MAX, BASE * 2**(n-1)) seconds, less up to JITTER of it (random).
WEBHOOK_BACKOFF_BASE_SECONDS = env.float("WEBHOOK_BACKOFF_BASE_SECONDS", default=5.0)
WEBHOOK_BACKOFF_MAX_SECONDS = env.float("WEBHOOK_BACKOFF_MAX_SECONDS", default=3600.0)
WEBHOOK_BACKOFF_JITTER = env.float("WEBHOOK_BACKOFF_JITTER", default=0.5)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=12)
# An endpoint is disabled after this many failed attempts in a row, or after failing
# for this long without a success, whichever comes first.
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=20)
WEBHOOK_DISABLE_AFTER_SECONDS = env.int("WEBHOOK_DISABLE_AFTER_SECONDS", default=3 * 24 * 3600)
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=60)
WEBHOOK_ROTATION_OVERLAP_SECONDS = env.int("WEBHOOK_ROTATION_OVERLAP_SECONDS", default=24 * 3600)
WEBHOOK_POLL_SECONDS = env.float("WEBHOOK_POLL_SECONDS", default=1.0)
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)
WEBHOOK_MAX_ENDPOINTS = env.int("WEBHOOK_MAX_ENDPOINTS", default=20)
# How long an event written before its change may stay held before the worker settles it.
WEBHOOK_HELD_GRACE_SECONDS = env.int("WEBHOOK_HELD_GRACE_SECONDS", default=60)
