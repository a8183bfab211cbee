"""Unknown email and wrong password: same status, same body, same time (no enumeration)."""

from __future__ import annotations

import statistics
import time

from rest_framework.test import APIClient

from accounts.tests.conftest import EMAIL

ATTEMPTS = 15


def _timed_login(client: APIClient, email: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    response = client.post(
        "/admin/login", {"email": email, "password": "Wrong-pass-1"}, format="json"
    )
    return time.perf_counter() - started, response.status_code, response.content


def test_unknown_email_and_wrong_password_answer_alike(admin_org):
    client = APIClient()
    _, wrong_status, wrong_body = _timed_login(client, EMAIL)
    _, unknown_status, unknown_body = _timed_login(client, "nobody@acme.example")
    assert (wrong_status, wrong_body) == (unknown_status, unknown_body)
    assert wrong_status == 401


def test_unknown_email_and_wrong_password_take_the_same_time(settings, make_org):
    settings.BCRYPT_ROUNDS = 10  # realistic cost, so bcrypt dominates and a skipped check shows
    settings.LOGIN_RATE_PER_EMAIL = "1000/min"
    settings.LOGIN_RATE_PER_IP = "1000/min"
    make_org("Acme Corp", email=EMAIL)
    client = APIClient()
    _timed_login(client, "warm-up@acme.example")  # builds the dummy hash once
    wrong, unknown = [], []
    for n in range(ATTEMPTS):  # interleaved, so load on the machine hits both alike
        wrong.append(_timed_login(client, EMAIL)[0])
        unknown.append(_timed_login(client, f"nobody{n}@acme.example")[0])
    wrong_median, unknown_median = statistics.median(wrong), statistics.median(unknown)
    assert abs(wrong_median - unknown_median) <= 0.25 * max(wrong_median, unknown_median), (
        wrong_median,
        unknown_median,
    )
    assert min(wrong_median, unknown_median) > 0.01  # bcrypt really ran in both cases
