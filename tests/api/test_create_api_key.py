"""manage.py create_api_key: a key printed once, stored hashed."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiClient


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_it_prints_a_key_once_and_stores_only_its_hash(world, api):
    key, note = run("Ứng dụng iHanoi", "--scope", "file", "--scope", "read_public")
    client = ApiClient.objects.get()
    assert key.startswith("hnk_") and "shown this once" in note
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiClient.objects.values().get())
    assert client.scopes == ["file", "read_public"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/categories/").status_code == 200


def test_it_makes_a_staff_key_for_one_office(world):
    run("Một cửa", "--scope", "staff", "--office", "ubnd-hoan-kiem", "--user", "officer_a")
    client = ApiClient.objects.get()
    assert (client.office, client.user) == (world.office_a, world.officer_a)


@pytest.mark.parametrize(
    "args",
    [
        ["half", "--scope", "staff", "--office", "ubnd-hoan-kiem"],
        ["nowhere", "--scope", "staff", "--office", "khong-co", "--user", "officer_a"],
        ["fast", "--scope", "file", "--rate", "many"],
    ],
)
def test_it_refuses_an_incomplete_key(world, args):
    with pytest.raises(CommandError):
        run(*args)
    assert not ApiClient.objects.exists()
