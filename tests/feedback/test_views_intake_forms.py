"""/staff/intake/<channel>/: hotline, social media, walk-in and paper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import deadlines
from feedback.models import Attachment, Ticket, TicketEvent
from tests.feedback.uploads import disguised, has_gps, jpeg_with_gps


def base(world, **overrides):
    data = {
        "kind": "feedback",
        "priority": "normal",
        "category": str(world.waste.pk),
        "unit": str(world.ward_a.pk),
        "address": "Ngõ 5 Tràng Tiền",
        "description": "Cống bị tắc.",
        "contact_name": "Lê Văn Cường",
        "contact_phone": "0901234567",
        "make_public": "on",
        "idempotency_key": "staff-form-0123456789abcdef",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_it_needs_a_login(client, world):
    r = client.get("/staff/intake/ho-so-giay/")
    assert r.status_code == 302
    assert r["Location"].startswith("/staff/login/")


def test_it_refuses_an_account_without_a_role(client, world):
    client.force_login(world.outsider)
    assert client.get("/staff/intake/").status_code == 403
    assert client.post("/staff/intake/truc-tiep/", base(world)).status_code == 403
    assert Ticket.objects.count() == 0


def test_an_unknown_channel_is_a_404(client, world):
    client.force_login(world.officer_a)
    assert client.get("/staff/intake/fax/").status_code == 404


def test_a_paper_backfill_keeps_the_true_receipt_time_and_who_entered_it(client, world):
    client.force_login(world.officer_a)
    received = (timezone.localtime() - timedelta(days=2)).replace(
        hour=10, minute=15, second=0, microsecond=0
    )
    r = client.post(
        "/staff/intake/ho-so-giay/",
        base(
            world, dossier_number="HS-77", received_at=local(received), backfill_reason="Mất mạng"
        ),
    )
    ticket = Ticket.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/staff/intake/da-nhap/{ticket.code}/"
    assert ticket.channel == "paper"
    assert ticket.received_at == received
    assert ticket.source_ref == "HS-77"
    assert ticket.source_data == {"backfill_reason": "Mất mạng"}
    assert ticket.created_by == world.officer_a
    event = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    assert event.data["entered_by"] == world.officer_a.pk and "entered_at" in event.data

    html = client.get(r["Location"]).content.decode()
    due = deadlines.compute_due(ticket).due_at
    assert f'datetime="{timezone.localtime(due).isoformat()}"' in html
    assert "officer_a" in html
    assert "Mất mạng" in html


def test_a_paper_form_from_a_frozen_month_says_its_figures_wait_for_a_correction(client, world):
    from feedback import snapshots

    client.force_login(world.officer_a)
    start, _end = snapshots.month_bounds(timezone.now())
    last_month = snapshots.month_of(start - timedelta(days=1))
    received = timezone.localtime(start - timedelta(days=1)).replace(hour=9, minute=0)

    def file(key: str):
        r = client.post(
            "/staff/intake/ho-so-giay/",
            base(
                world,
                dossier_number=key,
                received_at=local(received),
                backfill_reason="Mất điện",
                idempotency_key=f"staff-form-{key}-0123456789",
            ),
        )
        return client.get(r["Location"]).content.decode()

    assert 'id="frozen-month"' not in file("HS-1")  # last month not frozen yet
    snapshots.freeze(last_month)
    html = file("HS-2")
    assert 'id="frozen-month"' in html and last_month.strftime("%m/%Y") in html
    # What happens next, in the officer's words: the month is corrected tonight.
    assert "sẽ được tự động đính chính" in html


def test_paper_needs_a_dossier_number_time_and_reason(client, world):
    client.force_login(world.officer_a)
    r = client.post("/staff/intake/ho-so-giay/", base(world))
    errors = r.context["form"].errors
    assert {"dossier_number", "received_at", "backfill_reason"} <= set(errors)
    assert Ticket.objects.count() == 0


def test_a_receipt_time_in_the_future_is_refused_on_that_field(client, world):
    client.force_login(world.officer_a)
    r = client.post(
        "/staff/intake/ho-so-giay/",
        base(
            world,
            dossier_number="1",
            backfill_reason="x",
            received_at=local(timezone.now() + timedelta(days=1)),
        ),
    )
    assert "received_at" in r.context["form"].errors
    assert Ticket.objects.count() == 0


def test_a_receipt_time_over_a_year_old_is_refused(client, world):
    client.force_login(world.officer_a)
    r = client.post(
        "/staff/intake/ho-so-giay/",
        base(
            world,
            dossier_number="1",
            backfill_reason="x",
            received_at=local(timezone.now() - timedelta(days=400)),
        ),
    )
    assert "received_at" in r.context["form"].errors


def test_a_hotline_call_records_the_caller_and_time(client, world):
    client.force_login(world.officer_a)
    call = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    client.post("/staff/intake/duong-day-nong/", base(world, received_at=local(call)))
    ticket = Ticket.objects.get()
    assert ticket.channel == "hotline"
    assert ticket.received_at == call
    assert ticket.contact_name == "Lê Văn Cường"
    assert ticket.consent_at is None  # recorded by an officer in a public duty


def test_a_hotline_call_without_a_time_is_received_now(client, world):
    client.force_login(world.officer_a)
    before = timezone.now()
    client.post("/staff/intake/duong-day-nong/", base(world))
    assert Ticket.objects.get().received_at >= before


def test_a_social_media_post_keeps_platform_link_and_time(client, world):
    client.force_login(world.officer_a)
    posted = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=3)
    client.post(
        "/staff/intake/mang-xa-hoi/",
        base(
            world,
            platform="facebook",
            post_url="https://facebook.com/groups/x/posts/1",
            posted_at=local(posted),
        ),
    )
    ticket = Ticket.objects.get()
    assert ticket.channel == "social"
    assert ticket.source_ref == "https://facebook.com/groups/x/posts/1"
    assert ticket.source_data["platform"] == "facebook"


def test_a_social_post_needs_a_real_link(client, world):
    client.force_login(world.officer_a)
    r = client.post(
        "/staff/intake/mang-xa-hoi/",
        base(
            world, platform="facebook", post_url="javascript:alert(1)", posted_at="2025-01-01T10:00"
        ),
    )
    assert "post_url" in r.context["form"].errors
    assert Ticket.objects.count() == 0


def test_a_walk_in_with_a_photo_strips_its_location(client, world, media_files):
    client.force_login(world.officer_a)
    client.post("/staff/intake/truc-tiep/", base(world, attachments=[jpeg_with_gps()]))
    ticket = Ticket.objects.get()
    assert ticket.channel == "walk_in"
    photo = ticket.attachments.get()
    assert photo.uploaded_by == world.officer_a
    assert not has_gps(photo.file.read())


def test_a_disguised_upload_by_staff_stores_nothing(client, world, media_files):
    client.force_login(world.officer_a)
    r = client.post("/staff/intake/truc-tiep/", base(world, attachments=[disguised()]))
    assert "attachments" in r.context["form"].errors
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0
    assert media_files() == []


def test_a_denunciation_taken_by_phone_is_confidential(client, world):
    client.force_login(world.officer_a)
    client.post(
        "/staff/intake/duong-day-nong/",
        base(world, kind="denunciation", category=str(world.denunciations.pk)),
    )
    ticket = Ticket.objects.get()
    assert ticket.is_confidential and not ticket.is_public


def test_a_double_submit_by_staff_makes_one_ticket(client, world):
    client.force_login(world.officer_a)
    client.post("/staff/intake/truc-tiep/", base(world))
    client.post("/staff/intake/truc-tiep/", base(world))
    assert Ticket.objects.count() == 1


def test_the_done_page_is_for_the_officer_who_entered_it_or_the_office(client, world):
    client.force_login(world.officer_a)
    client.post("/staff/intake/truc-tiep/", base(world))
    ticket = Ticket.objects.get()
    assert client.get(f"/staff/intake/da-nhap/{ticket.code}/").status_code == 200
    client.force_login(world.officer_b)
    assert client.get(f"/staff/intake/da-nhap/{ticket.code}/").status_code == 404


def test_another_offices_code_answers_as_an_unknown_one(client, world):
    client.force_login(world.officer_a)
    client.post("/staff/intake/truc-tiep/", base(world))
    code = Ticket.objects.get().code
    unknown = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    client.force_login(world.officer_b)
    theirs = client.get(f"/staff/intake/da-nhap/{code}/")
    nothing = client.get(f"/staff/intake/da-nhap/{unknown}/")
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.content.replace(code.encode(), b"X") == nothing.content.replace(
        unknown.encode(), b"X"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/staff/intake/",
        "/staff/intake/ho-so-giay/",
        "/staff/intake/duong-day-nong/",
        "/staff/intake/nhap-csv/",
        "/staff/intake/nhap-csv/mau.csv",
    ],
)
def test_a_read_only_leader_cannot_use_staff_intake(client, world, path):
    client.force_login(world.leader)
    assert client.get(path).status_code == 403
    received = local(timezone.now() - timedelta(days=2))
    r = client.post(
        path,
        base(world, received_at=received, paper_ref="000.00.70.H26-1", backfill_reason="Mất điện"),
    )
    assert r.status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("slug", ["duong-day-nong", "mang-xa-hoi", "truc-tiep", "ho-so-giay"])
def test_every_channel_form_renders(client, world, slug):
    client.force_login(world.officer_a)
    r = client.get(f"/staff/intake/{slug}/")
    assert r.status_code == 200
    assert 'name="description"' in r.content.decode()
