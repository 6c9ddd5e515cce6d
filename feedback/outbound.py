"""Sending one message to one person through a channel: email (Django's mail
backend) or SMS through an HTTP gateway, the way Vietnamese brand-name SMS
providers take them (a POST with the brand name, the number and the text,
authorised by a token). Who hears of what, and when, is decided in
feedback/notifications.py; this module only carries a message.

A failed send raises OutboundError (or the mail backend's own error), so the
caller's outbox gives the message back for a retry."""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from feedback.models import Ticket

log = logging.getLogger(__name__)

NotifyBy = Ticket.NotifyBy


class OutboundError(Exception):
    """The channel did not take the message (retry later)."""


def sms_enabled() -> bool:
    """SMS is offered only where the deployment has a gateway."""
    return bool(settings.FEEDBACK_SMS_URL)


def channels() -> list[tuple[str, str]]:
    """The channels a citizen may choose from at intake, as form choices."""
    return [(value, label) for value, label in NotifyBy.choices if value != "sms" or sms_enabled()]


def reporter_address(ticket: Ticket) -> str:
    """Where the reporter's updates go on their chosen channel ("" when
    they cannot be reached there: anonymous, no such contact, or SMS with no
    gateway)."""
    if ticket.is_anonymous:
        return ""
    if ticket.notify_by == NotifyBy.SMS:
        return normalize_phone(ticket.contact_phone) if sms_enabled() else ""
    return ticket.contact_email


def normalize_phone(phone: str) -> str:
    """A Vietnamese number as gateways take it: digits, 84 instead of the
    leading 0 ("0912 345 678" -> "84912345678"); "" when it is not one."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if re.fullmatch(r"84\d{9,10}", digits) else ""


def send(channel: str, *, to: str, subject: str, body: str) -> None:
    """Send one message to one address through `channel` ("email" or "sms").
    An SMS carries only `body` (the caller keeps it short)."""
    if channel == NotifyBy.SMS:
        send_sms(to, body)
    elif channel == NotifyBy.EMAIL:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    else:
        raise ValueError(f"unknown channel {channel!r}")


def send_sms(to: str, text: str) -> None:
    """POST {"brandname", "to", "text"} as JSON to FEEDBACK_SMS_URL with
    "Authorization: Bearer <FEEDBACK_SMS_TOKEN>". Any answer but 2xx, or no
    answer within FEEDBACK_SMS_TIMEOUT seconds, is an OutboundError."""
    if not sms_enabled():
        raise OutboundError("no SMS gateway configured (FEEDBACK_SMS_URL)")
    payload = json.dumps(
        {"brandname": settings.FEEDBACK_SMS_BRAND, "to": to, "text": text}, ensure_ascii=False
    ).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Authorization": f"Bearer {settings.FEEDBACK_SMS_TOKEN}",
    }
    try:
        status = http_post(
            settings.FEEDBACK_SMS_URL, payload, headers, timeout=settings.FEEDBACK_SMS_TIMEOUT
        )
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise OutboundError(f"SMS gateway unreachable: {exc}") from None
    if not 200 <= status < 300:
        raise OutboundError(f"SMS gateway answered {status}")


def http_post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST to a URL an administrator configured (an SMS gateway, a partner's
    webhook); the HTTP status, whatever it is. No answer raises OSError."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
