"""POST /api/v1/tickets/: file a report machine to machine."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from feedback.models import Ticket

URL = "/api/v1/tickets/"


@pytest.fixture
def client():
    return APIClient()


def payload(world, **overrides):
    data = {
        "category": world.waste.code,
        "unit": world.ward_a.code,
        "description": "Rác thải tồn đọng nhiều ngày ở ngõ 12 Hàng Bài.",
        "contact_name": "Nguyễn Văn An",
        "contact_email": "an@example.com",
        "consent": True,
    }
    data.update(overrides)
    return data


def test_it_files_a_report_and_answers_with_its_code(world, client):
    response = client.post(URL, payload(world), format="json")
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert response.json() == {"code": ticket.display_code, "status": "received"}
    assert ticket.channel == Ticket.Channel.API and ticket.kind == "feedback"


def test_it_returns_the_first_ticket_for_a_replayed_idempotency_key(world, client):
    first = client.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Ticket.objects.count() == 1


def test_it_refuses_a_used_key_with_other_content(world, client):
    client.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post(
        URL, payload(world, description="Khác hẳn"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Ticket.objects.count() == 1


def test_it_refuses_an_unknown_category_in_one_error_shape(world, client):
    response = client.post(URL, payload(world, category="khong-co"), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "category" in error["fields"]
    assert not Ticket.objects.exists()


def test_it_turns_a_domain_rule_into_a_400_with_the_field(world, client):
    response = client.post(URL, payload(world, consent=False), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "consent"
    assert not Ticket.objects.exists()


def test_it_refuses_an_overlong_idempotency_key(world, client):
    response = client.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_refuses_an_anonymous_denunciation(world, client):
    data = payload(world, category=world.denunciations.code, is_anonymous=True)
    response = client.post(URL, data, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "is_anonymous"


def test_it_limits_submissions_per_address_like_the_public_form(client, world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    for n in range(2):
        assert (
            client.post(
                URL, payload(world, description=f"Rác ở ngõ {n}"), format="json"
            ).status_code
            == 201
        )
    response = client.post(URL, payload(world, description="Rác ở ngõ 3"), format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert Ticket.objects.count() == 2
