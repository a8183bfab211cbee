"""OpenAPI: describe the Bearer JWT, the org API keys and both session cookies, so the schema
(and check --deploy) is clean."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class AdminJWTScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.AdminJWTAuthentication"
    name = "adminJWT"

    def get_security_definition(self, auto_schema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="JWT"
        )


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """An org API key, ``Authorization: Bearer osk_...`` (accounts.api_key_auth)."""

    target_class = "accounts.api_key_auth.ApiKeyAuthentication"
    name = "orgApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="osk_<id>_<secret>"
        )


class AdminSessionScheme(SessionScheme):
    """The org admin's browser session (browsable API; accounts.session_auth): a cookie."""

    target_class = "accounts.session_auth.AdminSessionAuthentication"
    priority = 0


class StaffSessionScheme(SessionScheme):
    """A Django staff user's admin-site session (the staff routes: suspend, resume, restore),
    named apart from the org admin's cookie so the two schemes do not collide."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "staffSession"
    priority = 1
