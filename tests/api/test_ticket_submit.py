"""POST /api/v1/tickets/: file a report machine to machine."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from feedback import workflow
from feedback.models import Ticket, TicketEvent
from feedback.reporter_link import reporter_secret

URL = "/api/v1/tickets/"


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


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return out.getvalue()


def test_it_files_a_report_and_answers_with_its_code_and_secret_once(world, api):
    response = api.post(URL, payload(world), format="json")
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    body = response.json()
    assert body["code"] == ticket.display_code and body["status"] == "received"
    assert body["secret"] == reporter_secret(ticket)
    assert body["private_url"].endswith(f"/tra-cuu/{ticket.code}/{body['secret']}/")
    assert ticket.channel == Ticket.Channel.API and ticket.kind == "feedback"
    # The secret opens the reporter's endpoints; no read shows it again.
    detail = api.get(f"{URL}{ticket.display_code}/").json()
    assert body["secret"] not in str(detail)


def test_it_returns_the_first_ticket_for_a_replayed_idempotency_key(world, api):
    first = api.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Ticket.objects.count() == 1


def test_it_refuses_a_used_key_with_other_content(world, api):
    api.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = api.post(
        URL, payload(world, description="Khác hẳn"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Ticket.objects.count() == 1


def test_it_scopes_idempotency_keys_per_client(world, api, make_key, as_key):
    _, key_a = make_key("A")
    _, key_b = make_key("B")
    a = as_key(key_a).post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="same")
    b = as_key(key_b).post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="same")
    api.credentials()
    anonymous = api.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert (a.status_code, b.status_code, anonymous.status_code) == (201, 201, 201)
    assert Ticket.objects.count() == 3


def test_it_attributes_a_keyed_submission_to_its_client(world, make_key, as_key):
    client, key = make_key("Tổng đài 1022", channel="hotline", scopes=["file"])
    response = as_key(key).post(URL, payload(world, source_ref="CRM-77"), format="json")
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.api_client, ticket.source_ref) == ("hotline", client, "CRM-77")
    received = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    assert received.data["via"] == {"client": client.pk, "name": "Tổng đài 1022"}


def test_it_takes_the_true_receipt_time_only_with_the_backfill_scope(world, make_key, as_key):
    when = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    _, plain = make_key("plain", scopes=["file"])
    refused = as_key(plain).post(URL, payload(world, received_at=when.isoformat()), format="json")
    assert refused.status_code == 400
    assert "received_at" in refused.json()["error"]["fields"]
    _, backfill = make_key("backfill", scopes=["file", "backfill"])
    accepted = as_key(backfill).post(
        URL, payload(world, received_at=when.isoformat()), format="json"
    )
    assert accepted.status_code == 201
    assert Ticket.objects.get().received_at == when


def test_it_refuses_a_key_without_the_file_scope(world, make_key, as_key):
    _, key = make_key("reader", scopes=["read_public"])
    response = as_key(key).post(URL, payload(world), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "missing_scope"
    assert not Ticket.objects.exists()


def test_it_refuses_a_revoked_or_unknown_key_with_401(world, make_key, as_key):
    client, key = make_key()
    client.revoked_at = timezone.now()
    client.save()
    revoked = as_key(key).post(URL, payload(world), format="json")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "key_revoked"
    assert revoked["WWW-Authenticate"].startswith("Bearer")
    unknown = as_key(key[:-3] + "xyz").post(URL, payload(world), format="json")
    assert unknown.status_code == 401
    assert not Ticket.objects.exists()


def test_it_applies_a_clients_rate_and_daily_quota(world, make_key, as_key):
    _, quick = make_key("quick", rate_limit="2/m")
    api = as_key(quick)
    codes = [api.get("/api/v1/categories/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    _, small = make_key("small", daily_quota=1)
    api = as_key(small)
    assert api.get("/api/v1/categories/").status_code == 200
    over = api.get("/api/v1/categories/")
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "quota_exceeded"


def test_it_stores_multipart_attachments_checked_like_uploads(world, api, media_files):
    data = {**payload(world), "attachments": [io.BytesIO(jpeg())]}
    data["attachments"][0].name = "anh.jpg"
    response = api.post(URL, data, format="multipart")
    assert response.status_code == 201
    assert Ticket.objects.get().attachments.count() == 1
    bad = io.BytesIO(b"<html>not an image</html>")
    bad.name = "anh.jpg"
    refused = api.post(
        URL, {**payload(world, description="Khác"), "attachments": [bad]}, format="multipart"
    )
    assert refused.status_code == 400
    assert "attachments" in refused.json()["error"]["fields"]
    assert Ticket.objects.count() == 1


def test_it_fetches_media_urls_after_filing(
    world, api, receiver, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_MEDIA_ALLOW_PRIVATE = True
    receiver.files["/photo.jpg"] = jpeg()
    receiver.files["/page.html"] = b"<html></html>"
    urls = [f"{receiver.url}/photo.jpg", f"{receiver.url}/page.html"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(URL, payload(world, media_url=urls), format="json")
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    # The photo is attached; the HTML page is refused by the content check.
    assert [a.content_type for a in ticket.attachments.all()] == ["image/jpeg"]
    assert ticket.source_data["media_url"] == urls


def test_it_refuses_media_urls_on_private_addresses(world, receiver, settings):
    from api import media
    from feedback.errors import ValidationFailed

    settings.FEEDBACK_MEDIA_ALLOW_PRIVATE = False
    receiver.files["/photo.jpg"] = jpeg()
    try:
        media.fetch(f"{receiver.url}/photo.jpg")
    except ValidationFailed as exc:
        assert exc.field == "media_url"
    else:
        raise AssertionError("a loopback address was fetched")


def test_it_refuses_an_unknown_category_in_one_error_shape(world, api):
    response = api.post(URL, payload(world, category="khong-co"), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"category": ["Lĩnh vực không tồn tại hoặc đã ngừng sử dụng."]}
    # A sentence for a person, not a Python repr of the details.
    assert error["message"].startswith("Trường “category”") and "{" not in error["message"]
    assert not Ticket.objects.exists()


def test_it_turns_a_domain_rule_into_a_400_with_the_field(world, api):
    response = api.post(URL, payload(world, consent=False), format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["consent"]
    assert not Ticket.objects.exists()


def test_it_refuses_an_overlong_idempotency_key(world, api):
    response = api.post(URL, payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_refuses_an_anonymous_denunciation(world, api):
    data = payload(world, category=world.denunciations.code, is_anonymous=True)
    response = api.post(URL, data, format="json")
    assert response.status_code == 400
    assert "is_anonymous" in response.json()["error"]["fields"]


def test_it_shares_the_public_forms_per_address_budget(world, api, client, settings, report_form):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    assert client.post("/gui-phan-anh/", report_form()).status_code == 302
    assert api.post(URL, payload(world), format="json").status_code == 201
    # The budget is spent, whichever door is used next.
    response = api.post(URL, payload(world, description="Rác ở ngõ 3"), format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert client.post("/gui-phan-anh/", report_form(description="Khác")).status_code == 429
    assert Ticket.objects.count() == 2


def test_its_staff_actions_leave_the_client_in_the_timeline(world, routed, make_key, as_key):
    ticket = routed()
    client, key = make_key(
        "Hệ thống một cửa", scopes=["staff"], office=world.office_a, user=world.officer_a
    )
    response = as_key(key).post(
        f"/api/v1/staff/tickets/{ticket.code}/acknowledge/", {}, format="json"
    )
    assert response.status_code == 200
    event = ticket.events.get(kind=TicketEvent.Kind.ACKNOWLEDGED)
    assert event.actor == world.officer_a
    assert event.data["via"]["name"] == "Hệ thống một cửa"
    # Nothing outside the call is attributed to it.
    workflow.ticket_note(ticket, actor=world.officer_a, message="ghi chú")
    assert "via" not in ticket.events.get(kind=TicketEvent.Kind.NOTE).data


@pytest.mark.django_db(transaction=True)
def test_filing_costs_six_statements_with_no_savepoint(world, api, monkeypatch):
    """The two references, then BEGIN, the ticket, its event, COMMIT: the
    webhook subscriptions come from the process's list and the partner
    mark opens no transaction of its own (issue 14's ceiling of 6)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api import webhooks
    from feedback.workflow import core

    queued = []
    monkeypatch.setattr(core, "queue_task", lambda *args: queued.append(args) or True)
    monkeypatch.setattr(webhooks, "queue_task", lambda *args: queued.append(args) or True)
    api.post(URL, payload(world, description="Lần đầu: danh sách webhook được đọc."), format="json")
    with CaptureQueriesContext(connection) as ctx:
        response = api.post(URL, payload(world), format="json")
    assert response.status_code == 201
    statements = [q["sql"].split()[0] for q in ctx.captured_queries]
    assert statements == ["SELECT", "SELECT", "BEGIN", "INSERT", "INSERT", "COMMIT"], statements
    # One task per filing: the receipt's notifications ride with routing.
    ticket = Ticket.objects.latest("pk")
    received = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    assert queued[-1] == ("workers.tasks.route_ticket", ticket.pk, received.pk)
    assert not [q for q in queued if q[0] == "workers.tasks.deliver_event"]
