"""The one domain error type. The web views, the API exception handler and
the Celery tasks each turn it into their own kind of answer."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain said no. `code` picks the HTTP status."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"
