"""OpenAPI description of the API token scheme, so the schema documents how to sign in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kinerja.accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token created with `manage.py create_api_token`, sent as "
                "`Authorization: Bearer kin_...`. Tokens expire and can be revoked."
            ),
        }
