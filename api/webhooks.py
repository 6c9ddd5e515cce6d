"""Signed webhooks to partner systems.

- `enqueue(event)` runs inside the event's transaction (called from
  workflow.core.record): it writes one WebhookDelivery row per matching
  subscription, so a delivery exists exactly when its event does, and it
  only queues the send after commit: a partner never slows or breaks a
  workflow action.
- `deliver(id)` claims a due row with a conditional UPDATE (two workers
  never send it at once), POSTs the stored body signed with HMAC-SHA256
  over "<timestamp>.<body>", and records the outcome. A failure schedules
  the next attempt with exponential backoff; Celery retries the short waits
  and the `requeue_due` sweep the long ones, until FEEDBACK_WEBHOOK_GIVE_UP_HOURS
  have passed (default 72 h: a partner down for a day loses nothing).
- `replay(ids)` puts deliveries back in the queue (the admin's action).

The list of active subscriptions is read once per process and kept for
FEEDBACK_WEBHOOK_CACHE_SECONDS (default 10), so recording an event costs no
query for it: a change to a subscription or a client, saved in this process,
is seen at once; other processes see it within that time. A delivery already
written for a subscription that has since been switched off or whose key
was revoked is never sent (`deliver` checks at send time).

Who hears what: public events of public tickets (scope read_public), public
events of the client's own tickets (read_own), and every event of the
tickets at the office of a staff-scoped key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from api.models import ApiClient, Webhook, WebhookDelivery
from feedback.outbound import http_post
from workers.queue import queue_task

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Feedback-Signature"
TASK = "workers.tasks.deliver_webhook"
# A claimed delivery that was neither finished nor released by then (the
# worker died mid-request) may be claimed again.
CLAIM_SECONDS = 120
MAX_ERROR = 1000


def body_bytes(payload: dict) -> bytes:
    """The exact bytes sent: compact, key-sorted UTF-8 JSON, the same on every attempt."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# --- who hears of an event -------------------------------------------------------


def _as_office(client: ApiClient, event, ticket) -> bool:
    """A staff key hears its office's tickets as the office does."""
    return client.has_scope(ApiClient.Scope.STAFF) and client.office_id in (
        ticket.office_id,
        event.office_id,
    )


def _hears(client: ApiClient, event, ticket) -> bool:
    if _as_office(client, event, ticket):
        return True
    if not event.is_public:
        return False
    if ticket.is_public and client.has_scope(ApiClient.Scope.READ_PUBLIC):
        return True
    return ticket.api_client_id == client.pk and client.has_scope(ApiClient.Scope.READ_OWN)


def payload_for(event, ticket, *, full: bool) -> dict:
    """The body partners receive; `full` (a staff key of the office) adds
    the internal message and the citizen's words; anyone else reads the
    public words only (selectors_public.public_message). Contact details
    never leave in a webhook."""
    from feedback.models import display_code
    from feedback.selectors_public import public_message

    return {
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "at": event.at.isoformat(),
            "from_status": event.from_status,
            "to_status": event.to_status,
            "public": event.is_public,
            "message": event.message if full else public_message(event),
            "via": (event.data or {}).get("via"),
        },
        "ticket": {
            "code": display_code(ticket.code),
            "status": ticket.status,
            "kind": ticket.kind,
            "category": ticket.category.code,
            "unit": ticket.unit.code,
            "office": ticket.office.code if ticket.office_id else None,
            "due_at": ticket.due_at.isoformat() if ticket.due_at else None,
            "url": f"{settings.SITE_URL}/api/v1/tickets/{display_code(ticket.code)}/",
        },
    }


# (read at, subscriptions) or None: see the module's docstring.
_active: tuple[float, list[Webhook]] | None = None


def active_hooks() -> list[Webhook]:
    """The switched-on subscriptions of clients whose key is not revoked."""
    global _active
    cached = _active
    ttl = settings.FEEDBACK_WEBHOOK_CACHE_SECONDS
    if cached is not None and time.monotonic() - cached[0] < ttl:
        return cached[1]
    hooks = list(
        Webhook.objects.filter(is_active=True, client__revoked_at__isnull=True).select_related(
            "client", "unit", "category"
        )
    )
    _active = (time.monotonic(), hooks)
    return hooks


@receiver([post_save, post_delete], sender=Webhook)
@receiver([post_save, post_delete], sender=ApiClient)
def forget_active_hooks(**kwargs) -> None:
    global _active
    _active = None


def enqueue(event) -> list[WebhookDelivery]:
    """Write the deliveries `event` owes, in the caller's transaction."""
    hooks = active_hooks()
    if not hooks:
        return []
    ticket = event.ticket
    rows = []
    for hook in hooks:
        if hook.kinds and event.kind not in hook.kinds:
            continue
        if hook.unit_id and not ticket.unit.path.startswith(hook.unit.path):
            continue
        if hook.category_id and not ticket.category.path.startswith(hook.category.path):
            continue
        if not _hears(hook.client, event, ticket):
            continue
        full = _as_office(hook.client, event, ticket)
        rows.append(
            WebhookDelivery(
                webhook=hook, event=event, payload=payload_for(event, ticket, full=full)
            )
        )
    if not rows:
        return []
    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: [queue_task(TASK, pk) for pk in ids])
    return created


# --- sending ---------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failures: 30 s doubling, capped."""
    seconds = settings.FEEDBACK_WEBHOOK_FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.FEEDBACK_WEBHOOK_MAX_RETRY_SECONDS))


@dataclass(frozen=True)
class Outcome:
    status: str  # a WebhookDelivery.Status, or "skipped" (not due, or taken)
    retry_in: float | None = None  # seconds until the next attempt, when there is one


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    return http_post(url, body, headers, timeout=settings.FEEDBACK_WEBHOOK_TIMEOUT_SECONDS)


def deliver(delivery_id: int, *, now: datetime | None = None) -> Outcome:
    """One attempt at one delivery, if it is due and nobody else holds it."""
    now = now or timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    if not claimed:
        return Outcome("skipped")
    delivery = WebhookDelivery.objects.select_related("webhook__client").get(pk=delivery_id)
    hook = delivery.webhook
    if not hook.is_active or hook.client.revoked_at is not None:
        # Switched off or revoked after the event was written: never sent.
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.last_error = "subscription switched off or key revoked before sending"
        delivery.claimed_until = None
        delivery.save(update_fields=["status", "last_error", "claimed_until"])
        log.info("webhook %s not sent: subscription ended", delivery.uid)
        return Outcome(delivery.status)
    body = body_bytes(delivery.payload)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "phananh-hanoi-webhooks/1",
        "X-Feedback-Event": delivery.payload["event"]["kind"],
        "X-Feedback-Delivery": str(delivery.uid),
        SIGNATURE_HEADER: signature(hook.secret, timestamp, body),
    }
    code: int | None = None
    try:
        code = _post(hook.url, body, headers)
        error = "" if 200 <= code < 300 else f"HTTP {code}"
    except Exception as exc:  # any failure to reach the partner is a failed attempt
        error = f"{type(exc).__name__}: {exc}"
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_error = error[:MAX_ERROR]
    delivery.claimed_until = None
    retry_in = None
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
    elif now - delivery.created_at >= timedelta(hours=settings.FEEDBACK_WEBHOOK_GIVE_UP_HOURS):
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        wait = backoff(delivery.attempts)
        delivery.next_attempt_at = now + wait
        retry_in = wait.total_seconds()
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "claimed_until",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    level = logging.INFO if not error else logging.WARNING
    log.log(
        level,
        "webhook %s to %s (client %s): %s, attempt %d",
        delivery.uid,
        hook.url,
        hook.client_id,
        error or "delivered",
        delivery.attempts,
    )
    return Outcome(delivery.status, retry_in)


def requeue_due(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Queue the pending deliveries whose next attempt is due: the long
    waits of the backoff, and any send the broker lost."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: batch or settings.FEEDBACK_SWEEP_BATCH]
    )
    return sum(queue_task(TASK, pk) for pk in ids)


def replay(ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Send these deliveries again (delivered or failed ones too), with the
    same body and delivery id; returns how many were queued."""
    now = now or timezone.now()
    ids = list(ids)
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=now, claimed_until=None
    )
    transaction.on_commit(lambda: [queue_task(TASK, pk) for pk in ids])
    return len(ids)
