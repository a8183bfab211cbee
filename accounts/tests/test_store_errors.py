"""Every storage signal reaches clients as the documented status, code and wording."""

from __future__ import annotations

import pytest

from accounts.store_errors import SIGNALS, api_error, api_errors
from kernel.errors import AppError
from tenancy.signals import (
    BadCursor,
    PlacementNotEnabled,
    Refused,
    Taken,
    UnknownPlacement,
)

CASES = [
    (Taken(Taken.EMAIL), 409, "email_taken", "This email is already registered."),
    (Taken(Taken.ORG_NAME), 409, "org_name_taken", "An organization with this name exists."),
    (BadCursor("x"), 400, "invalid_cursor", "The cursor is not valid."),
    (
        UnknownPlacement("cloud", ("collection", "shared", "database")),
        400,
        "invalid_placement",
        "The placement must be one of collection, shared, database.",
    ),
    (
        PlacementNotEnabled("database", ("collection",)),
        400,
        "placement_not_enabled",
        "The placement database is not enabled here (ORG_PLACEMENTS: collection).",
    ),
    (Refused("no"), 409, "shard_setup_refused", "The server refused: no"),
]


@pytest.mark.parametrize(("signal", "status", "code", "message"), CASES)
def test_a_signal_leaves_as_its_api_error_chained_from_it(signal, status, code, message):
    with pytest.raises(AppError) as err, api_errors():
        raise signal
    assert (err.value.status, err.value.code, err.value.message) == (status, code, message)
    assert err.value.__cause__ is signal


def test_every_signal_has_a_mapping():
    assert {type(case[0]) for case in CASES} == set(SIGNALS)


def test_other_errors_pass_through_untouched():
    with pytest.raises(KeyError), api_errors():
        raise KeyError("x")
    with pytest.raises(TypeError):
        api_error(KeyError("x"))
