"""Staff sign in through the real login page with the production password
hashers (Argon2id at OWASP's parameters, config/passwords.py). The rest of
the suite swaps in a fast hasher (tests/conftest.py), so this is the one
browser journey that hashes and verifies the way production does."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

import config.settings as production
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0] == "config.passwords.Argon2idHasher"


def _stored(username: str) -> str:
    return get_user_model().objects.get(username=username).password


def test_an_officer_signs_in_with_an_argon2id_password(
    desktop, live_server, world, production_hashers
):
    officer = world.officer_a
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    assert _stored("officer_a").startswith(OWASP)

    sign_in(desktop, live_server.url, "officer_a")  # waits for the inbox
    assert "/staff/login/" not in desktop.url
    assert desktop.locator("table.inbox").is_visible()


def test_a_password_from_the_old_hasher_still_works_and_is_rehashed(
    desktop, live_server, world, production_hashers
):
    """A hash from before the change (PBKDF2, as Django made them) signs in
    and is stored again with Argon2id at that sign-in."""
    user = world.head_a
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsaltoldsalt")
    user.save(update_fields=["password"])

    sign_in(desktop, live_server.url, "head_a")
    assert _stored("head_a").startswith(OWASP)


def test_a_wrong_password_is_refused_with_a_message(
    desktop, live_server, world, production_hashers
):
    officer = world.officer_a
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])

    desktop.goto(f"{live_server.url}/staff/login/?next=/staff/")
    desktop.locator("input[name=username]").fill("officer_a")
    desktop.locator("input[name=password]").fill("not the password")
    desktop.get_by_role("button", name="Đăng nhập").click()
    assert desktop.get_by_role("alert").is_visible()
    assert "/staff/login/" in desktop.url
    assert _stored("officer_a").startswith(OWASP)
