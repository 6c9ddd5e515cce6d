"""Alerts for the public: follow one report, or hear of new and resolved
public reports in a ward or a category, by email.

Double opt-in: a subscription counts only once confirmed from the link
mailed to the address, so nobody can sign someone else up. Every alert
carries a link that unsubscribes in one click (and the RFC 8058
List-Unsubscribe headers, so a mail client can do it for the reader). Both
links are signed tokens (django.core.signing with the site's secret), never
stored; the confirmation link expires, the unsubscribe link does not."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from feedback.errors import ValidationFailed
from feedback.models import AdministrativeUnit, Category, Subscription, Ticket, TicketEvent

log = logging.getLogger(__name__)
E = TicketEvent.Kind

CONFIRM_SALT = "feedback.alerts.confirm"
UNSUBSCRIBE_SALT = "feedback.alerts.unsubscribe"
# The product's choice: a confirmation link older than a week is refused.
CONFIRM_MAX_AGE = 7 * 24 * 3600

# What a ward's or a category's subscribers hear of (public reports only).
AREA_EVENTS = {E.RECEIVED: "new", E.RESOLVED: "resolved"}
# What a report's followers hear of: its public changes.
FOLLOW_EVENTS = {
    E.ROUTED,
    E.ANSWERED,
    E.RESOLVED,
    E.REOPENED,
    E.CLOSED,
    E.REJECTED,
    E.MERGED,
    E.TRANSFERRED,
}


def subscribe(
    *,
    email: str,
    language: str,
    unit: AdministrativeUnit | None = None,
    category: Category | None = None,
    ticket: Ticket | None = None,
) -> Subscription:
    """Record a (not yet confirmed) subscription and mail the confirmation
    link. Asking again re-sends the link; an address already confirmed is
    not mailed again (so the form cannot be used to spam it)."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationFailed(_("Vui lòng nhập thư điện tử."), field="email")
    targets = [t for t in (unit, category, ticket) if t is not None]
    if len(targets) != 1:
        raise ValidationFailed(_("Chọn một phường, xã hoặc một lĩnh vực."), field="unit")
    if ticket is not None and not ticket.is_public:
        raise ValidationFailed(_("Phản ánh này không công khai."), field="ticket")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    target = {"unit": unit, "category": category, "ticket": ticket}
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.get_or_create(
                email=email, **target, defaults={"language": language}
            )
    except IntegrityError:  # two identical requests at once: the other one made it
        subscription = Subscription.objects.get(email=email, **target)
    if subscription.confirmed_at is None:
        subscription.language = language
        subscription.save(update_fields=["language"])
        _mail_confirmation(subscription)
    return subscription


def confirm(token: str) -> Subscription:
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationFailed(
            _("Liên kết xác nhận đã hết hạn. Vui lòng đăng ký lại."), field="token"
        ) from None
    except signing.BadSignature:
        raise ValidationFailed(_("Liên kết xác nhận không hợp lệ."), field="token") from None
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise ValidationFailed(_("Đăng ký này không còn nữa."), field="token")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def subscription_for_unsubscribe(token: str) -> Subscription | None:
    """The subscription an unsubscribe link names (None: already gone)."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise ValidationFailed(_("Liên kết hủy đăng ký không hợp lệ."), field="token") from None
    return Subscription.objects.filter(pk=pk).first()


def unsubscribe(token: str) -> bool:
    """Remove the subscription; False when it was already removed."""
    subscription = subscription_for_unsubscribe(token)
    if subscription is None:
        return False
    subscription.delete()
    return True


def confirm_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("public:alerts_confirm", args=[token])


def unsubscribe_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("public:alerts_unsubscribe", args=[token])


def recipients(event: TicketEvent) -> list[Subscription]:
    """Confirmed subscriptions that hear of this event: followers of the
    report for its public changes; subscribers of its ward or category
    (or a category above it) when a public report arrives or is resolved."""
    ticket = event.ticket
    if not ticket.is_public or not event.is_public:
        return []
    confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
    found: list[Subscription] = []
    if event.kind in FOLLOW_EVENTS:
        found += list(confirmed.filter(ticket=ticket))
    if event.kind in AREA_EVENTS:
        found += list(
            confirmed.filter(unit_id=ticket.unit_id)
            | confirmed.filter(category__path__in=ticket.category.ancestors_paths())
        )
    # One alert per address, however many of its subscriptions match.
    by_email: dict[str, Subscription] = {}
    for subscription in found:
        by_email.setdefault(subscription.email, subscription)
    return list(by_email.values())


def deliver(event: TicketEvent, subscriptions: list[Subscription]) -> int:
    """Send this event's alerts to `subscriptions` (found by `recipients`);
    the number sent."""
    sent = 0
    for subscription in subscriptions:
        with translation.override(subscription.language):
            context = {
                "event": event,
                "ticket": event.ticket,
                "subscription": subscription,
                "what": AREA_EVENTS.get(event.kind, "change")
                if subscription.ticket_id is None
                else "change",
                "track_url": settings.SITE_URL + reverse("public:track", args=[event.ticket.code]),
                "unsubscribe_url": unsubscribe_url(subscription),
            }
            _send(subscription, "emails/alert", context)
        sent += 1
    return sent


def _mail_confirmation(subscription: Subscription) -> None:
    with translation.override(subscription.language):
        _send(
            subscription,
            "emails/alert_confirm",
            {"subscription": subscription, "confirm_url": confirm_url(subscription)},
            unsubscribe=False,
        )


def _send(subscription: Subscription, template: str, context: dict, *, unsubscribe=True) -> None:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email], headers=headers
    ).send()
