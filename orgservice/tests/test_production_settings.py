"""Production settings: unsafe secrets refused, strict HTTPS defaults, check --deploy clean."""

import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from orgservice.checks import (
    check_secret_keys,
    check_separate_keys,
    refuse_unsafe_start,
    weakness,
)
from orgservice.testing import ROOT, free_port, manage, service_env

STRONG = secrets.token_urlsafe(50)
STRONG_JWT = secrets.token_urlsafe(50)
# What an operator sets in production; the rest are the settings' defaults. The HTTPS values are
# spelled out only because they override this checkout's local .env (see the defaults test).
PRODUCTION = dict(
    SECRET_KEY=STRONG,
    JWT_SIGNING_KEY=STRONG_JWT,
    DEBUG="false",
    ALLOWED_HOSTS="example.com",
    SECURE_SSL_REDIRECT="true",
    SESSION_COOKIE_SECURE="true",
    CSRF_COOKIE_SECURE="true",
)
DEPLOY_CHECK = ("check", "--deploy", "--fail-level", "WARNING")


@pytest.mark.parametrize(
    "key",
    [
        "short",
        "x" * 60,
        "abcd" * 20,
        "change-me-to-50-random-characters" * 2,
        "django-insecure-" + "k3Yq9vT2mW8pZ4rX1sN6bJ0hG5dF7cL-aE_uQiOyRtPwVzMxUn",
    ],
)
def test_an_unsafe_secret_key_is_an_error_with_debug_off(settings, key):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.JWT_SIGNING_KEY = key
    assert weakness(key) is not None
    assert {e.id for e in check_secret_keys(None)} == {"orgservice.E001", "orgservice.E002"}
    with pytest.raises(ImproperlyConfigured, match="orgservice.E001"):
        refuse_unsafe_start()


def test_a_long_random_secret_key_passes(settings):
    settings.DEBUG = False
    settings.SECRET_KEY, settings.JWT_SIGNING_KEY = STRONG, STRONG_JWT
    assert check_secret_keys(None) == []
    refuse_unsafe_start()


def test_one_secret_serving_as_secret_key_and_jwt_signing_key_is_a_deploy_warning(settings):
    settings.SECRET_KEY = settings.JWT_SIGNING_KEY = STRONG
    assert [w.id for w in check_separate_keys(None)] == ["orgservice.W001"]
    settings.JWT_SIGNING_KEY = STRONG_JWT
    assert check_separate_keys(None) == []


def test_a_weak_jwt_signing_key_alone_is_refused(settings):
    settings.DEBUG = False
    settings.SECRET_KEY, settings.JWT_SIGNING_KEY = STRONG, "jwt"
    assert [e.id for e in check_secret_keys(None)] == ["orgservice.E002"]


def test_debug_mode_tolerates_a_short_key(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.JWT_SIGNING_KEY = "dev"
    assert check_secret_keys(None) == []


def _settings_from(monkeypatch, **environment) -> dict:
    """Evaluate settings.py afresh with exactly ``environment`` and no .env file."""
    for name in (
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "PROXY_SSL_HEADER",
        "JWT_SIGNING_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(environ.Env, "read_env", classmethod(lambda cls, *a, **k: None))
    return runpy.run_path(str(ROOT / "orgservice" / "settings.py"))


def test_without_a_dotenv_the_production_defaults_are_strict(monkeypatch):
    values = _settings_from(monkeypatch, SECRET_KEY=STRONG, JWT_SIGNING_KEY=STRONG_JWT)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert "SECURE_PROXY_SSL_HEADER" not in values and values["SILENCED_SYSTEM_CHECKS"] == []


def test_debug_relaxes_the_https_settings(monkeypatch):
    values = _settings_from(monkeypatch, SECRET_KEY="dev", JWT_SIGNING_KEY="dev-jwt", DEBUG="true")
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


def test_behind_a_tls_proxy_the_scheme_header_is_trusted_and_only_then_w008_is_silenced(
    monkeypatch,
):
    values = _settings_from(
        monkeypatch,
        SECRET_KEY=STRONG,
        JWT_SIGNING_KEY=STRONG_JWT,
        SECURE_SSL_REDIRECT="false",
        PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SILENCED_SYSTEM_CHECKS"] == ["security.W008"]
    alone = _settings_from(
        monkeypatch, SECRET_KEY=STRONG, JWT_SIGNING_KEY=STRONG_JWT, SECURE_SSL_REDIRECT="false"
    )
    assert alone["SILENCED_SYSTEM_CHECKS"] == []


@pytest.mark.slow
def test_check_deploy_passes_at_warning_level_in_a_production_environment(tmp_path):
    result = manage(tmp_path, *DEPLOY_CHECK, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_jwt_signing_key_has_no_fallback_to_secret_key(monkeypatch):
    """One secret for two purposes is refused at start: settings without JWT_SIGNING_KEY do
    not load (a fresh clone's .env has its own random one)."""
    with pytest.raises(ImproperlyConfigured, match="JWT_SIGNING_KEY"):
        _settings_from(monkeypatch, SECRET_KEY=STRONG)


def test_make_env_writes_a_separate_random_jwt_signing_key_and_completes_an_old_env(tmp_path):
    script = [sys.executable, str(ROOT / "scripts" / "make_env.py")]
    fresh = dict(
        line.split("=", 1)
        for line in subprocess.run(
            script, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    )
    assert weakness(fresh["SECRET_KEY"]) is None and weakness(fresh["JWT_SIGNING_KEY"]) is None
    assert fresh["SECRET_KEY"] != fresh["JWT_SIGNING_KEY"]
    old = tmp_path / ".env"
    old.write_text(f"SECRET_KEY={STRONG}\nDEBUG=false")
    subprocess.run([*script, "--complete", str(old)], check=True, capture_output=True)
    subprocess.run([*script, "--complete", str(old)], check=True, capture_output=True)
    lines = old.read_text().splitlines()
    assert lines[:2] == [f"SECRET_KEY={STRONG}", "DEBUG=false"]
    (jwt_line,) = [line for line in lines if line.startswith("JWT_SIGNING_KEY=")]
    (metrics_line,) = [line for line in lines if line.startswith("METRICS_TOKEN=")]
    assert weakness(jwt_line.split("=", 1)[1]) is None and len(lines) == 4
    assert len(metrics_line.split("=", 1)[1]) >= 50
    assert fresh["METRICS_TOKEN"] not in (fresh["SECRET_KEY"], fresh["JWT_SIGNING_KEY"])


@pytest.mark.slow
def test_check_deploy_warns_when_the_jwt_signing_key_is_the_secret_key(tmp_path):
    result = manage(tmp_path, *DEPLOY_CHECK, **{**PRODUCTION, "JWT_SIGNING_KEY": STRONG})
    assert result.returncode != 0
    assert (
        "orgservice.W001" in result.stderr and "JWT_SIGNING_KEY equals SECRET_KEY" in result.stderr
    )


@pytest.mark.slow
def test_check_deploy_passes_behind_a_tls_proxy_without_our_redirect(tmp_path):
    env = {
        **PRODUCTION,
        "SECURE_SSL_REDIRECT": "false",
        "PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    }
    result = manage(tmp_path, *DEPLOY_CHECK, **env)
    assert result.returncode == 0, result.stderr
    assert "(1 silenced)" in result.stdout


@pytest.mark.slow
def test_check_deploy_fails_on_a_short_secret_key(tmp_path):
    result = manage(tmp_path, *DEPLOY_CHECK, **{**PRODUCTION, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "orgservice.E001" in result.stderr and "security.W009" in result.stderr


@pytest.mark.slow
def test_check_deploy_fails_when_https_is_switched_off_without_a_proxy(tmp_path):
    result = manage(
        tmp_path,
        *DEPLOY_CHECK,
        **{**PRODUCTION, "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false"},
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


@pytest.mark.slow
def test_gunicorn_refuses_to_start_on_a_short_secret_key(tmp_path):
    env = service_env(
        tmp_path, HOST="127.0.0.1", PORT=str(free_port()), WEB_WORKERS="1", SECRET_KEY="too-short"
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "orgservice.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0
    assert "orgservice.E001" in result.stdout + result.stderr
