"""Wrong private-link secrets are counted per address (limits.PRIVATE_LINK,
FEEDBACK_PRIVATE_LINK_RATE), on the pages and the API together: past the
budget every private link answers that address 429 with a page that says
why, while the reporter's own uses of the right link never count."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

WRONG = "0" * 32


@pytest.fixture(autouse=True)
def _three_wrong_per_hour(settings):
    settings.FEEDBACK_PRIVATE_LINK_RATE = "3/h"


def test_after_too_many_wrong_secrets_even_the_right_link_answers_429(client, submit):
    ticket, secret = submit()
    for _ in range(3):
        assert client.get(f"/tra-cuu/{ticket.code}/{WRONG}/").status_code == 404
    assert client.get(f"/tra-cuu/{ticket.code}/{secret}/").status_code == 200  # not yet
    assert client.get(f"/tra-cuu/ABCD2345/{WRONG}/").status_code == 404  # an unknown code counts
    r = client.get(f"/tra-cuu/{ticket.code}/{secret}/")
    assert r.status_code == 429
    assert r["Retry-After"] == "3600"
    html = r.content.decode()
    assert "quá nhiều lần mở liên kết riêng không đúng" in html
    assert "Nguyễn Văn An" not in html  # nothing of the ticket is shown
    assert client.get(f"/tra-cuu/{ticket.code}/{secret}/tep/1/").status_code == 429
    assert client.post(f"/tra-cuu/{ticket.code}/{secret}/", {"action": "reply"}).status_code == 429


def test_another_address_is_not_held_back(client, submit):
    ticket, secret = submit()
    for _ in range(5):
        client.get(f"/tra-cuu/{ticket.code}/{WRONG}/")
    assert client.get(f"/tra-cuu/{ticket.code}/{secret}/").status_code == 429
    other = client.get(f"/tra-cuu/{ticket.code}/{secret}/", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_the_right_link_used_again_and_again_never_counts(client, submit):
    ticket, secret = submit()
    for _ in range(10):
        assert client.get(f"/tra-cuu/{ticket.code}/{secret}/").status_code == 200


def test_the_api_counts_wrong_secrets_in_the_same_budget(client, submit):
    ticket, secret = submit()
    api = APIClient()
    url = f"/api/v1/tickets/{ticket.display_code}/reporter/"
    for _ in range(2):
        assert api.get(url, HTTP_X_REPORTER_SECRET=WRONG).status_code == 403
    assert client.get(f"/tra-cuu/{ticket.code}/{WRONG}/").status_code == 404
    assert client.get(f"/tra-cuu/ABCD2345/{WRONG}/").status_code == 404
    r = api.get(url, HTTP_X_REPORTER_SECRET=secret)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "throttled"
    assert client.get(f"/tra-cuu/{ticket.code}/{secret}/").status_code == 429


def test_the_page_says_why_in_english_too(client, submit):
    ticket, secret = submit()
    for _ in range(4):
        client.get(f"/tra-cuu/{ticket.code}/{WRONG}/")
    client.cookies["django_language"] = "en"
    html = client.get(f"/tra-cuu/{ticket.code}/{secret}/").content.decode()
    assert "too many wrong private links" in html and "Look up by code" in html
