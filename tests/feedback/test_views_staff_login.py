"""Staff sign-in: /staff/login/, with django-axes locking an address out
after 5 failures in a row, whatever user names it tried."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

URL = "/staff/login/"


@pytest.fixture(autouse=True)
def _five_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_it_shows_a_labelled_sign_in_form(client, world):
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert 'autocomplete="current-password"' in html


def test_it_signs_in_an_officer_and_lands_in_the_inbox(client, world):
    r = client.post(URL, {"username": "officer_a", "password": PASSWORD})
    assert r.status_code == 302 and r.url == "/staff/start/"
    r = client.get(r.url)
    assert r.status_code == 302 and r.url == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_it_says_so_when_the_password_is_wrong(client, world):
    r = client.post(URL, {"username": "officer_a", "password": "wrong"})
    assert r.status_code == 200
    assert 'role="alert"' in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_out_after_five_failures_with_a_clear_bilingual_page(client, world):
    for _ in range(5):
        client.post(URL, {"username": "officer_a", "password": "wrong"})
    r = client.post(URL, {"username": "officer_a", "password": PASSWORD})
    assert r.status_code == 429
    html = r.content.decode()
    assert "Tạm khóa đăng nhập" in html
    assert "temporarily locked" in html
    assert "5" in html
    assert "_auth_user_id" not in client.session


def test_one_address_spraying_many_user_names_is_locked_out(client, world):
    for name in ("officer_a", "head_a", "officer_b", "leader", "nobody"):
        client.post(URL, {"username": name, "password": "wrong"})
    r = client.post(URL, {"username": "admin", "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked_out(client, world):
    for _ in range(5):
        client.post(URL, {"username": "officer_a", "password": "wrong"})
    r = client.post(URL, {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 302


def test_behind_the_proxy_the_lock_follows_the_clients_address(client, world, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for _ in range(5):
        client.post(
            URL, {"username": "officer_a", "password": "wrong"}, HTTP_X_REAL_IP="198.51.100.4"
        )
    locked = client.post(
        URL, {"username": "head_a", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.4"
    )
    assert locked.status_code == 429
    other = client.post(
        URL, {"username": "head_a", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.5"
    )
    assert other.status_code == 302  # same proxy (REMOTE_ADDR), another member of staff


def test_a_success_from_the_address_clears_its_failures(client, world):
    for _ in range(4):
        client.post(URL, {"username": "officer_a", "password": "wrong"})
    assert client.post(URL, {"username": "head_a", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(URL, {"username": "officer_b", "password": "wrong"})
    assert client.post(URL, {"username": "officer_b", "password": PASSWORD}).status_code == 302


def test_it_sends_signed_out_visitors_to_the_login_page(client, world):
    r = client.get("/staff/")
    assert r.status_code == 302 and r.url.startswith("/staff/login/?next=/staff/")
