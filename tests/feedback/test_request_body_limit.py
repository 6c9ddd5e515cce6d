"""feedback.limits.RequestBodyLimit: a body over FEEDBACK_MAX_REQUEST_BYTES
is refused from its Content-Length before a byte of it is read (so a 40 MB
upload is never written to disk), with a 413 in the page's shape."""

from __future__ import annotations

import pytest

from feedback.models import Ticket

FORTY_MB = 40 * 1024 * 1024


class Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_claiming(client, path: str, length: int, content_type="multipart/form-data; boundary=x"):
    return client.generic(
        "POST",
        path,
        b"",
        content_type=content_type,
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unread()},
    )


def test_a_40_mb_report_is_refused_unread_with_the_public_page(client, world):
    r = post_claiming(client, "/gui-phan-anh/", FORTY_MB)
    assert r.status_code == 413
    html = r.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in html and "30 MB" in html
    assert [t.name for t in r.templates[:2]] == ["413.html", "public/layout.html"]
    assert not Ticket.objects.exists()


def test_it_answers_in_english_to_an_english_reader(client, world):
    client.cookies["django_language"] = "en"
    r = post_claiming(client, "/gui-phan-anh/", FORTY_MB)
    assert r.status_code == 413 and '<html lang="en">' in r.content.decode()


def test_staff_intake_gets_the_staff_page(client, world):
    client.force_login(world.officer_a)
    r = post_claiming(client, "/staff/intake/ho-so-giay/", FORTY_MB)
    assert r.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in r.content.decode()
    assert [t.name for t in r.templates[:2]] == ["413.html", "staff/layout.html"]


def test_the_api_gets_its_error_shape(client, world):
    r = post_claiming(client, "/api/v1/tickets/", FORTY_MB, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("limit_mb", [1])
def test_the_limit_is_a_setting_and_a_body_under_it_is_read(client, world, settings, limit_mb,
                                                             report_form):  # fmt: skip
    settings.FEEDBACK_MAX_REQUEST_BYTES = limit_mb * 1024 * 1024
    assert post_claiming(client, "/gui-phan-anh/", limit_mb * 1024 * 1024 + 1).status_code == 413
    # An ordinary report is well under it.
    assert client.post("/gui-phan-anh/", report_form()).status_code == 302
    assert Ticket.objects.count() == 1
