"""feedback/live.py: live updates are a courtesy; with the channel layer's
Redis gone the workflow carries on and says so once."""

from __future__ import annotations

import logging

from feedback import workflow
from feedback.models import TicketEvent
from tests.services import dead_redis_url


def test_with_the_channel_layer_down_actions_go_through_and_it_warns_once(
    world, submit, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [dead_redis_url()]},
        }
    }
    with caplog.at_level(logging.WARNING, logger="feedback.live"):
        with django_capture_on_commit_callbacks(execute=True):
            ticket, _ = submit()  # received, then routed inline: two publishes
        with django_capture_on_commit_callbacks(execute=True):
            workflow.ticket_acknowledge(ticket.pk, actor=world.officer_a)
    kinds = list(ticket.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [TicketEvent.Kind.RECEIVED, TicketEvent.Kind.ROUTED, "acknowledged"]
    (warning,) = caplog.records
    assert "live updates: Redis unreachable" in warning.getMessage()
