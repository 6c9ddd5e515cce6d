"""drf-spectacular hook: every operation documents the error answers it can
give, all in the one shape of api.exceptions."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from feedback.models import AdministrativeUnit, Category, Office, TicketEvent

# Names for the choice sets that share the field name "kind" (ENUM_NAME_OVERRIDES).
TICKET_KINDS = Category.Kind.choices
UNIT_KINDS = AdministrativeUnit.Kind.choices
OFFICE_KINDS = Office.Kind.choices
EVENT_KINDS = TicketEvent.Kind.choices

ERROR_STATUSES = {
    "400": "Bad input: `message` says what, `fields` holds the details per field.",
    "401": "No API key or token where one is needed, or an unknown or revoked key.",
    "403": "Not allowed: a key without the scope, a wrong reporter secret, an action you "
    "may not take.",
    "404": "Not found (also what a ticket you may not read looks like).",
    "406": "The Accept header asks for a format other than JSON.",
    "409": "The ticket's state does not allow this now, or the idempotency key was used for "
    "other content.",
    "413": "The body is larger than the limit.",
    "415": "The body's content type is not JSON, multipart or form data.",
    "429": "Over the caller's rate limit or daily quota (see Retry-After).",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {
                    "type": "string",
                    "example": "Trường “category”: Lĩnh vực không tồn tại hoặc đã ngừng sử dụng.",
                },
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "hnk_… API key"}
