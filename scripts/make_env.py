"""Print a starter .env for a fresh clone, with a random SECRET_KEY (never committed)."""

import secrets

print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
print("DEBUG=false")
# `make run` serves plain http://127.0.0.1:8000: no HTTPS redirect, cookies over plain HTTP.
# Production leaves these unset (strict defaults); see README, "Production".
print("SECURE_SSL_REDIRECT=false")
print("SESSION_COOKIE_SECURE=false")
print("CSRF_COOKIE_SECURE=false")
