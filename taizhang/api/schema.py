"""The OpenAPI schema's additions: the token scheme, and the error answers every operation
may give (in the language of Accept-Language)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERRORS = {
    "400": "The request is malformed or refused by the rules; each field's problem is named.",
    "401": "No token, or one that is unknown, revoked or expired.",
    "403": "A read-only token, or a role that may not do this.",
    "404": "No such object in your scope (one outside it does not exist for you).",
    "409": "The Idempotency-Key was used for a different request.",
    "429": "Too many requests: wait the seconds of Retry-After.",
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` says what went wrong; a refused field has its messages under "
    "its name; a refused bulk create lists `items` with each item's index and errors.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "taizhang.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token (tz_…)."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "taizhang.api.auth.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


def document_errors(result, generator, request, public):
    result["components"]["schemas"]["Error"] = ERROR_SCHEMA
    for path in result["paths"].values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
