"""Turn driver errors into the application's errors, chained with ``raise ... from``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pymongo import errors as mongo_errors

from kernel.errors import AlreadyExists, Unavailable

DuplicateKeyError = mongo_errors.DuplicateKeyError


@contextmanager
def translate(*, duplicate: AlreadyExists | None = None) -> Iterator[None]:
    """Map a duplicate key to ``duplicate`` (when given) and lost connections to Unavailable."""
    try:
        yield
    except mongo_errors.DuplicateKeyError as exc:
        if duplicate is None:
            raise
        raise duplicate from exc
    except (mongo_errors.ConnectionFailure, mongo_errors.ServerSelectionTimeoutError) as exc:
        raise Unavailable("The database is not reachable.", code="database_unavailable") from exc
