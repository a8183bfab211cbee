"""OpenAPI: every operation documents the error responses its view can produce, one shape."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

# The stable `code` values a client may meet, per HTTP status (kernel.errors, kernel.error_handler).
ERROR_CODES: dict[int, tuple[str, ...]] = {
    400: (
        "invalid",
        "malformed_body",
        "invalid_name",
        "invalid_email",
        "invalid_password",
        "weak_password",
        "password_too_long",
        "current_password_required",
        "reserved_name",
        "name_mixed_script",
        "name_invisible_characters",
        "email_invisible_characters",
        "invalid_placement",
        "placement_not_enabled",
        "invalid_record",
        "invalid_cursor",
        "invalid_role",
        "invalid_transfer",
        "invalid_scope",
        "invalid_expiry",
        "invalid_filter",
        "invalid_query",
        "invalid_limit",
        "invalid_reason",
        "webhook_invalid_url",
        "webhook_url_unresolvable",
        "webhook_url_forbidden",
        "webhook_invalid_events",
        "bad_request",
        "invalid_idempotency_key",
        "invalid_metadata",
    ),
    401: (
        "not_authenticated",
        "authentication_failed",
        "invalid_credentials",
        "invalid_token",
        "user_not_found",
        "api_key_invalid",
        "api_key_revoked",
        "api_key_expired",
        "api_key_org_gone",
        "api_key_lacks_authority",
        "org_suspended",
        "org_deleted",
    ),
    403: (
        "forbidden",
        "owner_required",
        "role_forbidden",
        "no_role",
        "not_your_org",
        "not_your_token",
        "invalid_current_password",
        "csrf_failed",
        "insufficient_scope",
        "org_suspended",
        "org_deleted",
    ),
    404: (
        "not_found",
        "org_not_found",
        "member_not_found",
        "record_not_found",
        "invitation_not_found",
        "admin_not_found",
        "api_key_not_found",
        "webhook_not_found",
        "webhook_event_not_found",
    ),
    409: (
        "already_exists",
        "org_name_taken",
        "email_taken",
        "already_member",
        "inviter_lacks_authority",
        "conflict",
        "org_busy",
        "record_busy",
        "member_changed",
        "last_owner",
        "invitation_not_pending",
        "move_unverified",
        "shard_setup_refused",
        "idempotency_in_progress",
        "org_already_suspended",
        "org_not_suspended",
        "org_not_deleted",
        "org_suspended",
        "webhook_limit",
        "webhook_disabled",
    ),
    410: (
        "gone",
        "invitation_expired",
        "invitation_revoked",
        "invitation_used",
        "restore_window_expired",
    ),
    413: ("payload_too_large",),
    422: ("unprocessable", "idempotency_key_reused"),
    415: ("unsupported_media_type",),
    429: ("rate_limited",),
    503: (
        "unavailable",
        "database_unavailable",
        "privileges_unknown",
        "invitation_not_sent",
        "server_busy",
    ),
}

_TITLES = {
    400: "Invalid input; `fields` names each bad field",
    401: "Missing, expired or revoked token or API key, or wrong credentials",
    403: "Signed in, but not allowed",
    404: "Not found (another org's resources answer the same)",
    409: "Conflicts with the current state; `org_busy` answers with Retry-After",
    410: "The invitation can no longer be used, or the restore window has ended",
    413: "Request body too large",
    422: "The Idempotency-Key was used with another request (method, path or body)",
    415: "Request body in a media type this operation does not accept",
    429: "Too many requests; retry after the Retry-After seconds",
    503: "The database (or, for an invitation, the mail server) cannot be reached; retry later",
}

# Operations whose view counts attempts against a rate (accounts.throttling), by view and action.
THROTTLED: frozenset[tuple[str, str]] = frozenset(
    {
        ("OrganizationViewSet", "create"),
        ("OrgCreateView", "post"),
        ("AuthViewSet", "login"),
        ("AdminLoginView", "post"),
        ("OrgUpdateView", "put"),
        ("InvitationViewSet", "create"),
        ("InvitationAcceptView", "post"),
    }
)
# Operations that find their org by a name or token in the body or query rather than the path.
LOOKUP_BY_VALUE: frozenset[str] = frozenset(
    {"OrgGetView", "OrgDeleteView", "OrgUpdateView", "InvitationAcceptView"}
)
GONE: frozenset[str] = frozenset({"InvitationAcceptView"})
_READ_ONLY = ("GET", "HEAD", "OPTIONS")
_NO_CONFLICT: frozenset[str] = frozenset({"AuthViewSet", "AdminLoginView", "OrgGetView"})
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=(
        "1-255 printable ASCII characters (else 400 `invalid_idempotency_key`). The same key with "
        "the same request within IDEMPOTENCY_KEY_TTL (24 h) replays the first answer (status and "
        "body) with the header `Idempotent-Replayed: true`; with another request 422 "
        "`idempotency_key_reused`; while the first still runs 409 `idempotency_in_progress` "
        "with Retry-After. Scoped to the caller."
    ),
)


class ErrorOutput(serializers.Serializer):
    """Every error: a stable machine `code`, a human `detail`, and per-field messages on 400."""

    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    detail = serializers.CharField(help_text="Human-readable message; may change.")
    fields = serializers.DictField(
        required=False, help_text="On validation errors: each bad field and its messages."
    )


def _describe(status: int) -> str:
    codes = ", ".join(f"`{c}`" for c in ERROR_CODES[status])
    return f"{_TITLES[status]}. Codes: {codes}."


class ErrorDocumentingSchema(AutoSchema):
    """AutoSchema that adds the error responses (ErrorOutput) each operation can produce."""

    def _action(self) -> str:
        return getattr(self.view, "action", None) or self.method.lower()

    def error_statuses(self) -> set[int]:
        name, method = type(self.view).__name__, self.method
        statuses: set[int] = {503}  # every operation reads or writes the store
        if self.view.get_permissions():
            statuses |= {401, 403}
        if method not in _READ_ONLY:
            statuses |= {400, 413}
            if self._get_request_body() is not None:
                statuses.add(415)
            if name not in _NO_CONFLICT:
                statuses.add(409)
        in_query = any(p.get("in") == "query" for p in self._get_parameters())
        if in_query or name in LOOKUP_BY_VALUE:
            statuses |= {400, 404}
        if "{" in self.path or name in LOOKUP_BY_VALUE:
            statuses |= {404, 409}
        if (name, self._action()) in THROTTLED or getattr(self.view, "throttle_classes", None):
            statuses.add(429)
        if name in GONE:
            statuses |= {403, 410}  # 403 org_suspended: no one joins a suspended org
        if name == "AuthViewSet" and self._action() in ("login", "refresh"):
            statuses.add(401)
        if name == "AdminLoginView" or (name, self._action()) == ("AuthViewSet", "login"):
            statuses |= {401, 403}  # 403 org_suspended / org_deleted, once the password matched
        if name == "OwnerRestoreView":
            statuses |= {401, 403, 410}
        if (name, self._action()) == ("OrganizationViewSet", "restore"):
            statuses.add(410)
        if self._idempotent():
            statuses |= {400, 409, 422}
        return statuses

    def _idempotent(self) -> bool:
        handler = getattr(self.view, self._action(), None)
        return getattr(handler, "idempotent", False)

    def get_override_parameters(self) -> list:
        parameters = super().get_override_parameters()
        return [*parameters, IDEMPOTENCY_KEY] if self._idempotent() else parameters

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in sorted(self.error_statuses()):
            if str(status) not in responses:
                error = OpenApiResponse(ErrorOutput, description=_describe(status))
                responses[str(status)] = self._get_response_for_code(error, str(status))
        return responses
