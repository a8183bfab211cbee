"""Turn driver errors into storage signals (tenancy.signals) and a lost database into
kernel.errors.Unavailable, chained with ``raise ... from``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter

from pymongo import errors as mongo_errors

from kernel.errors import Unavailable
from kernel.metrics import observe_store

DuplicateKeyError = mongo_errors.DuplicateKeyError


@contextmanager
def translate(*, duplicate: Exception | None = None) -> Iterator[None]:
    """Map a duplicate key to ``duplicate`` (when given) and lost connections to Unavailable;
    the time spent inside counts in ``orgservice_store_duration_seconds`` (kernel.metrics)."""
    started = perf_counter()
    try:
        yield
    except mongo_errors.DuplicateKeyError as exc:
        if duplicate is None:
            raise
        raise duplicate from exc
    except (mongo_errors.ConnectionFailure, mongo_errors.ServerSelectionTimeoutError) as exc:
        raise Unavailable("The database is not reachable.", code="database_unavailable") from exc
    finally:
        observe_store(started)
