"""The reporter's private link: a secret derived from the ticket (Django's
salted_hmac over its code and a random per-ticket key), so any later email
can repeat the link without the secret being stored. Rotating
DJANGO_SECRET_KEY invalidates every private link.

No dependencies on the rest of the domain: the workflow, the notifications
and the pages all ask this module."""

from __future__ import annotations

from typing import Protocol

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from feedback.errors import Forbidden


class HasReporterKey(Protocol):
    code: str
    reporter_key: str


def reporter_secret(ticket: HasReporterKey) -> str:
    """The token of the reporter's private link for this ticket."""
    return salted_hmac(
        "feedback.reporter", f"{ticket.code}:{ticket.reporter_key}", algorithm="sha256"
    ).hexdigest()[:32]


def check_secret(ticket: HasReporterKey, secret: str | None) -> None:
    """Raise Forbidden unless `secret` is this ticket's private-link token."""
    if (
        not secret
        or not ticket.reporter_key
        or not constant_time_compare(reporter_secret(ticket), secret)
    ):
        raise Forbidden(_("Liên kết riêng không đúng hoặc đã hết hiệu lực."))


def private_path(ticket: HasReporterKey) -> str:
    """The reporter's page, relative to the site (see feedback.urls_public)."""
    return f"/tra-cuu/{ticket.code}/{reporter_secret(ticket)}/"
