"""Print a starter .env for a fresh clone, with a random SECRET_KEY (never committed)."""

import secrets

print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
print("DEBUG=false")
