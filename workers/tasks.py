"""Celery tasks: thin wrappers that take ids, call feedback/, and own
retries and schedules. Each is idempotent, so a redelivery (acks_late after
a worker died) or a duplicate from a sweep does no harm."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import datetime

from celery import shared_task
from django.core.cache import cache
from django.utils.dateparse import parse_datetime

from api import media, webhooks
from feedback import digest, notifications, sweeps, workflow
from feedback.errors import DomainError, NotFound

log = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (Exception,),
    "dont_autoretry_for": (NotFound,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
# Longer than any sweep should take; a crashed run frees the lock by expiry.
SWEEP_LOCK_SECONDS = 300


@shared_task(name="workers.tasks.route_ticket", **RETRY)
def route_ticket(ticket_id: int, *deliver: int) -> str:
    """Route a ticket; `deliver`: its earlier events still owing
    notifications (intake's receipt), sent in the routing's delivery task."""
    return workflow.ticket_route(ticket_id, deliver=deliver).status


@shared_task(name="workers.tasks.deliver_event", **RETRY)
def deliver_event(event_id: int, *more: int) -> bool:
    """Send what these events owe, in order (one task for a receipt and its
    routing: notifications.deliver_events). Each is claimed on its own, so a
    retry after a failure sends only what is still owed."""
    return notifications.deliver_events((event_id, *more))


# Celery holds a retry's countdown in the worker; past the broker's
# visibility timeout Redis would hand it to a second worker, so longer
# waits are left to the sweep_webhooks beat (webhooks.requeue_due).
WEBHOOK_RETRY_IN_TASK_SECONDS = 300


@shared_task(name="workers.tasks.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    outcome = webhooks.deliver(delivery_id)
    if outcome.retry_in is not None and outcome.retry_in <= WEBHOOK_RETRY_IN_TASK_SECONDS:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="workers.tasks.fetch_media", **{**RETRY, "max_retries": 4})
def fetch_media(ticket_id: int, url: str) -> str:
    """Fetch a partner's `media_url` and attach it. A file refused by the
    checks (too big, not an image or PDF, a private address) is logged and
    dropped, not retried; a network failure is retried with backoff."""
    try:
        clean = media.fetch(url)
        workflow.ticket_attach(ticket_id, files=[clean])
    except DomainError as exc:
        log.warning("media_url %s for ticket %s refused: %s", url, ticket_id, exc.message)
        return "refused"
    return "attached"


@contextmanager
def _sweep_lock(name: str):
    """One run of a sweep at a time across all workers, to spare the
    database a thundering herd. Correctness never depends on it: the cache
    may be down or flushed, and the workflow is idempotent anyway."""
    key = f"feedback:sweep-lock:{name}"
    try:
        acquired = cache.add(key, 1, SWEEP_LOCK_SECONDS)
    except Exception:
        log.warning("sweep %s: cache unavailable, running without the lock", name)
        acquired = True
    if not acquired:
        yield False
        return
    try:
        yield True
    finally:
        try:
            cache.delete(key)
        except Exception:
            log.warning("sweep %s: could not free the lock; it expires", name)


# Sweeps are not retried: the next beat tick runs them again anyway.
def _sweep(name: str, at: str | None, **kwargs) -> int | None:
    """Run one sweep; `at` (ISO 8601) asks what would happen at that
    instant. Returns the count, or None when another run holds the lock."""
    now: datetime | None = parse_datetime(at) if at else None
    if at and now is None:
        raise ValueError(f"at must be an ISO 8601 datetime, not {at!r}")
    with _sweep_lock(name) as acquired:
        if not acquired:
            log.info("sweep %s: another run is in progress, skipped", name)
            return None
        count = sweeps.SWEEPS[name](now=now, **kwargs)
    if count:
        log.info("sweep %s: %d", name, count)
    return count


@shared_task(name="workers.tasks.sweep_unrouted")
def sweep_unrouted(at: str | None = None, older_than: int | None = None) -> int | None:
    return _sweep("unrouted", at, older_than=older_than)


@shared_task(name="workers.tasks.sweep_undelivered")
def sweep_undelivered(at: str | None = None, older_than: int | None = None) -> int | None:
    return _sweep("undelivered", at, older_than=older_than)


@shared_task(name="workers.tasks.sweep_captchas")
def sweep_captchas(at: str | None = None) -> int | None:
    return _sweep("captchas", at)


@shared_task(name="workers.tasks.sweep_webhooks")
def sweep_webhooks(at: str | None = None) -> int | None:
    return _sweep("webhooks", at)


@shared_task(name="workers.tasks.sweep_warnings")
def sweep_warnings(at: str | None = None) -> int | None:
    return _sweep("warnings", at)


@shared_task(name="workers.tasks.sweep_breaches")
def sweep_breaches(at: str | None = None) -> int | None:
    return _sweep("breaches", at)


@shared_task(name="workers.tasks.sweep_escalations")
def sweep_escalations(at: str | None = None) -> int | None:
    return _sweep("escalations", at)


@shared_task(name="workers.tasks.sweep_closures")
def sweep_closures(at: str | None = None) -> int | None:
    return _sweep("closures", at)


@shared_task(name="workers.tasks.freeze_figures")
def freeze_figures(at: str | None = None) -> int | None:
    """Last month's figures frozen per office and unit (feedback.snapshots),
    any earlier month left unfrozen while the beat was down, and a
    correction of the frozen months that have reports entered since."""
    return _sweep("snapshots", at)


@shared_task(name="workers.tasks.refresh_live_figures")
def refresh_live_figures(at: str | None = None) -> int | None:
    """The current month's summary of the figures of every office and unit
    (feedback.snapshots.refresh_live), replaced whole."""
    return _sweep("live_figures", at)


@shared_task(name="workers.tasks.send_weekly_digest")
def send_weekly_digest(at: str | None = None) -> int:
    """The weekly digest to heads and leaders (feedback.digest). Not
    retried as a whole: each person's digest is claimed before it is sent,
    so a second run sends nothing twice."""
    now: datetime | None = parse_datetime(at) if at else None
    sent = digest.send_all(now=now)
    log.info("weekly digest: %d sent", sent)
    return sent
