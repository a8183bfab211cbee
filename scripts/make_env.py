"""Print a starter .env for a fresh clone, with a random SECRET_KEY, JWT_SIGNING_KEY and
METRICS_TOKEN (never committed). ``--complete PATH`` appends to an existing .env the keys it
lacks (a .env made before JWT_SIGNING_KEY was required), leaving every other line alone."""

import secrets
import sys
from pathlib import Path


def _key() -> str:
    return secrets.token_urlsafe(50)


# Lines every .env needs: one random value each, never shared between purposes.
REQUIRED = {"SECRET_KEY": _key, "JWT_SIGNING_KEY": _key, "METRICS_TOKEN": _key}


def starter() -> str:
    return "\n".join(
        [
            f"SECRET_KEY={_key()}",
            f"JWT_SIGNING_KEY={_key()}",
            f"METRICS_TOKEN={_key()}",
            "DEBUG=false",
            # `make run` serves plain http://127.0.0.1:8000: no HTTPS redirect, cookies over
            # plain HTTP. Production leaves these unset (strict defaults); see README.
            "SECURE_SSL_REDIRECT=false",
            "SESSION_COOKIE_SECURE=false",
            "CSRF_COOKIE_SECURE=false",
        ]
    )


def complete(path: Path) -> list[str]:
    """Append the REQUIRED keys ``path`` lacks; returns their names."""
    text = path.read_text()
    present = {line.split("=", 1)[0].strip() for line in text.splitlines() if "=" in line}
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        lines = [f"{name}={REQUIRED[name]()}" for name in missing]
        path.write_text(
            text + ("" if text.endswith("\n") or not text else "\n") + "\n".join(lines) + "\n"
        )
    return missing


if __name__ == "__main__":
    if sys.argv[1:2] == ["--complete"]:
        for name in complete(Path(sys.argv[2])):
            sys.stderr.write(f"{sys.argv[2]}: added a random {name}\n")
    else:
        sys.stdout.write(starter() + "\n")
