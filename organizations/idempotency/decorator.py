"""``@idempotent``: the Idempotency-Key header on a DRF handler (see its services).

The handler runs after DRF's ``initial`` (authentication, permissions, throttles, the org's
resolution), so a request refused there is never stored. Errors the handler raises are turned
into their response here (``view.handle_exception``) so that final 4xx answers can be stored;
an unexpected exception (a 500) gives the key up and propagates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from rest_framework.response import Response

from kernel import failpoints
from organizations.idempotency import services


def _scope(request, anonymous_fields: tuple[str, ...]) -> str:
    member_id = getattr(request.user, "member_id", None)
    if member_id:
        return services.member_scope(member_id)
    data = request.data if isinstance(request.data, dict) else {}
    return services.anonymous_scope([data.get(name) for name in anonymous_fields])


def _replayed(replay: services.Replay) -> Response:
    headers = {**replay.headers, services.REPLAYED_HEADER: "true"}
    return Response(replay.data, status=replay.status, headers=headers)


def idempotent(*, anonymous: tuple[str, ...] = ()) -> Callable:
    """Honour Idempotency-Key on this handler. Authenticated callers are scoped to their
    member id; unauthenticated ones to an HMAC of the body fields named in ``anonymous``."""

    def wrap(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def run(view, request, *args, **kwargs):
            key = request.headers.get(services.HEADER)
            if key is None:
                return handler(view, request, *args, **kwargs)
            key = services.check_key(key)
            fingerprint = services.fingerprint(
                method=request.method, path=request.path, data=request.data
            )
            outcome = services.begin(
                scope=_scope(request, anonymous), key=key, fingerprint=fingerprint
            )
            if isinstance(outcome, services.Replay):
                return _replayed(outcome)
            failpoints.hit("idempotency.key_held")
            try:
                try:
                    response = handler(view, request, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001 (DRF answers it; unexpected ones re-raise)
                    response = view.handle_exception(exc)
            except Exception:
                services.release(outcome)
                raise
            failpoints.hit("idempotency.executed")
            headers = {name: value for name, value in response.items()}
            services.finish(
                outcome, status=response.status_code, data=response.data, headers=headers
            )
            return response

        run.idempotent = True
        return run

    return wrap
