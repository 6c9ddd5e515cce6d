"""Idempotency keys are the door's own (issue 9, point 8): a key sent
through one door (the API, the public form, the CSV import of paper forms)
can neither replay nor block a submission made through another, and the
form looks at its token only once the captcha has passed."""

from __future__ import annotations

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from feedback import intake_csv
from feedback.models import Ticket
from tests.api.test_ticket_submit import payload
from tests.feedback.test_intake_csv import make_csv
from tests.feedback.test_intake_csv import row as row  # noqa: F401 - the fixture

API, FORM = "/api/v1/tickets/", "/gui-phan-anh/"
TOKEN = "form-token-0123456789abcdef"
REPORTER = ("Nguyễn Văn An", "an@example.com")


@pytest.fixture
def api_filed(world, client):
    """A ticket filed through the API under `Idempotency-Key: web:<TOKEN>`,
    with the text the form will send and another reporter's identity."""
    response = APIClient().post(
        API,
        payload(world, contact_name="Phạm Thị Kín", contact_email="kin@example.com"),
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"web:{TOKEN}",
    )
    assert response.status_code == 201
    return Ticket.objects.get()


def test_an_api_key_shaped_like_the_forms_does_not_replay_into_the_form(
    client, report_form, api_filed
):
    r = client.post(FORM, report_form(idempotency_key=TOKEN))
    assert r.status_code == 302
    assert api_filed.code not in r["Location"]
    page = client.get(r["Location"]).content.decode()
    assert "Phạm Thị Kín" not in page and "kin@example.com" not in page
    assert Ticket.objects.count() == 2
    mine = Ticket.objects.exclude(pk=api_filed.pk).get()
    assert (mine.contact_name, mine.contact_email) == REPORTER
    assert api_filed.idempotency_key != mine.idempotency_key == f"web:{TOKEN}"


def test_the_form_reads_its_token_only_after_the_captcha(client, report_form):
    first = client.post(FORM, report_form(idempotency_key=TOKEN))
    assert first.status_code == 302
    # A wrong captcha with a used token: the form again, not the first
    # reporter's private page.
    again = client.post(FORM, report_form(idempotency_key=TOKEN, captcha_1="wrong"))
    assert again.status_code == 200
    assert "captcha" in again.context["form"].errors
    assert not again.has_header("Location")
    assert Ticket.objects.count() == 1


def test_an_api_key_cannot_block_a_csv_import(world, row):
    api = APIClient()
    rows = [row(), row(so_ho_so="HS-002", noi_dung="Đèn đường hỏng.")]
    raw = make_csv(rows)
    # The keys the import will use, read from an import that is rolled back.
    with transaction.atomic():
        assert intake_csv.import_csv(raw, entered_by=world.officer_a).ok
        keys = list(Ticket.objects.values_list("idempotency_key", flat=True))
        transaction.set_rollback(True)
    assert not Ticket.objects.exists() and all(k.startswith("paper-csv:") for k in keys)
    for key in keys:
        for sent in (key, key.removeprefix("paper-csv:")):
            r = api.post(API, payload(world, description="Rác tồn đọng."), format="json",
                         HTTP_IDEMPOTENCY_KEY=sent)  # fmt: skip
            assert r.status_code == 201
    result = intake_csv.import_csv(raw, entered_by=world.officer_a)
    assert result.ok, result.errors
    paper = Ticket.objects.filter(channel=Ticket.Channel.PAPER)
    assert sorted(paper.values_list("idempotency_key", flat=True)) == sorted(keys)
    assert Ticket.objects.count() == 4 + 2
