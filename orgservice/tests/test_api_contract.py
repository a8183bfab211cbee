"""The schema is the contract: schemathesis drives every operation against gunicorn and checks
each answer (status, content type, body) against /api/schema/, with no server error."""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from orgservice.testing import GENEROUS_RATES, gunicorn

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PASSWORD = "Contract-pass-7781"
EXAMPLES = 6  # per operation and mode: about a minute on this machine


class Owner:
    """A signed-in org owner; a fresh org and token whenever a case deleted, renamed or
    signed out the previous one (checked before every case, over HTTP)."""

    def __init__(self, base: str):
        self.base = base
        self.counter = itertools.count()
        self.slug = ""
        self.token = ""

    def _fresh(self) -> None:
        n = next(self.counter)
        email = f"owner{n}@contract.example"
        body = {"organization_name": f"Contract Org {n}", "email": email, "password": PASSWORD}
        created = requests.post(f"{self.base}/api/v1/orgs/", json=body, timeout=30)
        assert created.status_code == 201, created.text
        self.slug = created.json()["slug"]
        login = requests.post(
            f"{self.base}/api/v1/auth/login/",
            json={"email": email, "password": PASSWORD},
            timeout=30,
        )
        assert login.status_code == 200, login.text
        self.token = login.json()["access_token"]

    def headers(self) -> dict[str, str]:
        if self.token:
            probe = requests.get(
                f"{self.base}/api/v1/orgs/{self.slug}/members/",
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=30,
            )
            owner = probe.status_code == 200 and any(m["role"] == "owner" for m in probe.json())
        if not self.token or not owner:
            self._fresh()
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[str]:
    with gunicorn(tmp_path_factory.mktemp("contract"), workers=2, **GENEROUS_RATES) as base:
        yield base


@pytest.fixture(scope="module")
def owner(service: str) -> Owner:
    return Owner(service)


@pytest.fixture(scope="module")
def api_schema(service: str):
    return schemathesis.openapi.from_url(f"{service}/api/schema/?format=json")


def _exercise(operation, mode: GenerationMode, owner: Owner, tally: dict) -> None:
    """Send ``EXAMPLES`` generated cases of one operation; record each answer and failure."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        headers = owner.headers()
        for name in ("org_slug", "slug"):
            if case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = owner.slug
        tally["examples"] += 1
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:
            tally["failures"].append(f"{operation.label} [{mode.value}]: {failure!r}"[:1500])
        else:
            tally["statuses"][response.status_code] += 1

    run()


@pytest.mark.slow
def test_every_answer_matches_the_schema(api_schema, owner: Owner) -> None:
    tally: dict = {"examples": 0, "failures": [], "statuses": Counter()}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode, owner, tally)
    summary = (
        f"{len(operations)} operations, {tally['examples']} examples, "
        f"{len(tally['failures'])} failures; statuses {dict(sorted(tally['statuses'].items()))}"
    )
    logging.getLogger(__name__).info("schemathesis: %s", summary)
    assert not tally["failures"], summary + "\n" + "\n\n".join(tally["failures"])
    assert len(operations) >= 25
    # Authenticated operations were exercised past the 401: the owner's token worked.
    assert tally["statuses"][200] and tally["statuses"][201] and tally["statuses"][204]
