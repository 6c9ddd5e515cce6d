"""/gui-phan-anh/: the public submit form and every kind of bad input."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Attachment, DeadlinePolicy, Ticket
from feedback.reporter_link import reporter_secret
from tests.feedback.uploads import disguised, has_gps, jpeg_with_gps, oversize, pdf

URL = "/gui-phan-anh/"


def assert_nothing_stored(media_files):
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert media_files() == []


def form_errors(response) -> dict:
    return response.context["form"].errors


def test_it_shows_the_form_in_vietnamese_with_the_consent_box_unticked(client, world):
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="vi">' in html
    assert "Gửi phản ánh, kiến nghị" in html
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert 'type="checkbox"' in consent
    assert "checked" not in consent
    assert 'name="captcha_1"' in html
    assert "Phường Hoàn Kiếm" in html and "Xã Ba Vì" in html


def test_the_kind_notes_take_deadlines_from_the_policies(client, world):
    DeadlinePolicy.objects.filter(code="complaint").update(resolve_amount=33)
    html = client.get(URL).content.decode()
    # Folded away under the category, not before what is wrong.
    legal = html[html.index('<details class="legal">') :]
    legal = legal[: legal.index("</details>")]
    assert "giải quyết trong 33 ngày" in legal
    assert "giải quyết trong 10 ngày làm việc" in legal
    assert "danh tính người tố cáo được giữ bí mật" in legal
    assert html.index('name="description"') < html.index('name="unit"')
    assert html.index('name="unit"') < html.index('name="category"')
    assert html.index('name="category"') < html.index('name="contact_name"')


def test_retired_wards_are_not_offered(client, world):
    from datetime import date

    world.remote.is_active = False
    world.remote.retired_on = date(2025, 7, 1)
    world.remote.save()
    assert "Xã Ba Vì" not in client.get(URL).content.decode()


def test_it_files_a_report_and_shows_the_code_and_private_link(client, report_form, media_files):
    r = client.post(URL, report_form(attachments=[jpeg_with_gps()]))
    ticket = Ticket.objects.get()
    secret = reporter_secret(ticket)
    assert r.status_code == 302
    assert r["Location"] == f"/tra-cuu/{ticket.code}/{secret}/"
    assert ticket.channel == "web"
    assert ticket.consent_at is not None
    assert ticket.is_public
    assert ticket.idempotency_key == "web:form-token-0123456789abcdef"
    photo = ticket.attachments.get()
    assert not has_gps(photo.file.read())
    assert len(media_files()) == 1

    page = client.get(r["Location"]).content.decode()
    assert ticket.display_code in page
    assert "big-code" in page
    assert f"/tra-cuu/{ticket.code}/{secret}/" in page
    # The banner shows once, right after filing.
    assert "big-code" not in client.get(r["Location"]).content.decode()


def test_it_emails_the_private_link_when_an_email_is_given(
    client, report_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, report_form())
    ticket = Ticket.objects.get()
    to_reporter = [m for m in mail.outbox if m.to == ["an@example.com"]]
    assert to_reporter
    body = to_reporter[0].body
    assert f"/tra-cuu/{ticket.code}/{reporter_secret(ticket)}/" in body
    assert ticket.display_code in body


def test_contact_details_without_consent_are_refused_on_the_consent_box(
    client, report_form, media_files
):
    r = client.post(URL, report_form(consent=None, attachments=[pdf()]))
    assert r.status_code == 200
    assert "consent" in form_errors(r)
    assert_nothing_stored(media_files)


def test_a_complaint_needs_a_name_and_a_contact(client, report_form, world, media_files):
    r = client.post(
        URL,
        report_form(
            kind="complaint",
            category=str(world.complaints.pk),
            contact_name="",
            contact_phone="",
            contact_email="",
            consent=None,
        ),
    )
    assert "contact_name" in form_errors(r)
    assert "Khiếu nại và tố cáo cần họ tên" in r.content.decode()
    assert_nothing_stored(media_files)


def test_a_complaint_cannot_be_anonymous(client, report_form, world, media_files):
    r = client.post(
        URL, report_form(kind="complaint", category=str(world.complaints.pk), is_anonymous="on")
    )
    assert "is_anonymous" in form_errors(r)
    assert_nothing_stored(media_files)


def test_plain_feedback_can_be_anonymous_and_keeps_no_contact(client, report_form):
    r = client.post(URL, report_form(is_anonymous="on", consent=None))
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.is_anonymous
    assert ticket.contact_name == ticket.contact_email == ticket.contact_phone == ""


def test_a_denunciation_is_confidential_and_never_public(client, report_form, world):
    client.post(URL, report_form(kind="denunciation", category=str(world.denunciations.pk)))
    ticket = Ticket.objects.get()
    assert ticket.is_confidential
    assert not ticket.is_public


def test_a_complaint_is_not_public_even_if_the_box_is_ticked(client, report_form, world):
    client.post(URL, report_form(kind="complaint", category=str(world.complaints.pk)))
    assert Ticket.objects.get().is_public is False


@pytest.mark.parametrize(
    "lat,lng,field",
    [
        ("91", "105.85", "latitude"),
        ("21.02", "abc", "longitude"),
        ("21.02", "", "latitude"),
        ("NaN", "105.8", "latitude"),
        ("1e400", "105.8", "latitude"),
    ],
)
def test_bad_coordinates_get_a_clear_message_and_store_nothing(
    client, report_form, media_files, lat, lng, field
):
    r = client.post(URL, report_form(latitude=lat, longitude=lng, attachments=[pdf()]))
    assert r.status_code == 200
    assert field in form_errors(r)
    assert "Tọa độ không hợp lệ" in r.content.decode() or "Cần đủ cả" in r.content.decode()
    assert_nothing_stored(media_files)


def test_an_unknown_category_is_refused(client, report_form, media_files):
    r = client.post(URL, report_form(category="999999", attachments=[pdf()]))
    assert "category" in form_errors(r)
    assert_nothing_stored(media_files)


def test_an_inactive_category_is_refused(client, report_form, world, media_files):
    world.waste.is_active = False
    world.waste.save()
    r = client.post(URL, report_form())
    assert "category" in form_errors(r)
    assert_nothing_stored(media_files)


def test_a_city_instead_of_a_ward_is_refused(client, report_form, world, media_files):
    r = client.post(URL, report_form(unit=str(world.hanoi.pk)))
    assert "unit" in form_errors(r)
    assert_nothing_stored(media_files)


def test_a_category_that_needs_a_place_says_so_on_the_address(
    client, report_form, world, media_files
):
    r = client.post(URL, report_form(category=str(world.water_cat.pk), address=""))
    assert "address" in form_errors(r)
    assert_nothing_stored(media_files)


def test_an_oversize_upload_is_refused_and_nothing_is_stored(
    client, report_form, settings, media_files
):
    settings.FEEDBACK_MAX_UPLOAD_BYTES = 2048
    r = client.post(URL, report_form(attachments=[pdf(), oversize(4096)]))
    assert r.status_code == 200
    assert "attachments" in form_errors(r)
    assert "tệp quá lớn" in r.content.decode()
    assert_nothing_stored(media_files)


def test_a_disguised_upload_is_refused_and_nothing_is_stored(client, report_form, media_files):
    r = client.post(URL, report_form(attachments=[jpeg_with_gps(), disguised("anh.jpg")]))
    assert "attachments" in form_errors(r)
    assert "anh.jpg" in r.content.decode()
    assert_nothing_stored(media_files)


def test_more_than_five_files_are_refused(client, report_form, media_files):
    r = client.post(URL, report_form(attachments=[pdf(f"{i}.pdf") for i in range(6)]))
    assert "attachments" in form_errors(r)
    assert_nothing_stored(media_files)


def test_a_wrong_captcha_is_refused(client, report_form, media_files):
    r = client.post(URL, report_form(captcha_1="wrong"))
    assert "captcha" in form_errors(r)
    assert_nothing_stored(media_files)


def test_a_double_click_makes_one_ticket(client, report_form):
    first = client.post(URL, report_form())
    second = client.post(URL, report_form())
    assert Ticket.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_retry_after_a_form_error_keeps_the_same_key(client, report_form):
    r = client.post(URL, report_form(captcha_1="wrong"))
    assert 'value="form-token-0123456789abcdef"' in r.content.decode()


def test_each_new_form_gets_its_own_key(client, world):
    a = client.get(URL).context["form"].initial["idempotency_key"]
    b = client.get(URL).context["form"].initial["idempotency_key"]
    assert a != b and len(a) >= 16


def test_script_in_text_fields_is_shown_as_text(client, report_form):
    script = "<script>alert('x')</script>"
    r = client.post(
        URL,
        report_form(title=f"Tiêu đề {script}", description=f"Nội dung {script}", address=script),
    )
    ticket = Ticket.objects.get()
    for url in (r["Location"], f"/tra-cuu/{ticket.code}/", "/phan-anh/", "/"):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html, url
    assert "&lt;script&gt;alert(" in client.get(f"/tra-cuu/{ticket.code}/").content.decode()


def test_script_in_an_invalid_form_is_echoed_as_text(client, report_form):
    r = client.post(URL, report_form(description="<script>alert(1)</script>", captcha_1="no"))
    assert "<script>alert(1)</script>" not in r.content.decode()


def test_too_many_submissions_from_one_address_get_a_429_in_vietnamese(
    client, report_form, settings
):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    for i in range(2):
        client.post(URL, report_form(idempotency_key=f"key-{i}-0123456789abcdef"))
    r = client.post(URL, report_form(idempotency_key="key-9-0123456789abcdef"))
    assert r.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu" in r.content.decode()
    assert Ticket.objects.count() == 2


def test_the_429_page_follows_the_citizens_language(client, report_form, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    client.cookies["django_language"] = "en"
    client.post(URL, report_form())
    r = client.post(URL, report_form(idempotency_key="key-x-0123456789abcdef"))
    assert r.status_code == 429
    assert '<html lang="en">' in r.content.decode()


def test_reading_the_form_is_not_rate_limited(client, world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]


def test_a_png_named_pdf_is_stored_as_the_png_it_is(client, report_form):
    from tests.feedback.uploads import image_bytes

    upload = SimpleUploadedFile("scan.pdf", image_bytes("PNG"), content_type="application/pdf")
    client.post(URL, report_form(attachments=[upload]))
    stored = Attachment.objects.get()
    assert stored.content_type == "image/png"
    assert stored.file.name.endswith(".png")


def test_filing_writes_no_session_row(client, report_form):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.post(URL, report_form())
    assert r.status_code == 302
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]
    # The banner's note is a signed cookie, good for the private page only.
    cookie = r.cookies["just_filed"]
    assert cookie["path"] == "/tra-cuu/" and cookie["httponly"]
    assert cookie["max-age"] == 600


def test_the_form_lists_are_remembered_until_a_category_changes(client, world, report_form):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "feedback_category" not in tables and "feedback_administrativeunit" not in tables
    world.waste.name = "Rác thải sinh hoạt (đã đổi tên)"
    world.waste.save()
    assert "Rác thải sinh hoạt (đã đổi tên)" in client.get(URL).content.decode()


def _options(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_the_report_form_offers_report_categories_and_steers_the_other_kinds_away(client, world):
    html = client.get(URL).content.decode()
    assert 'name="kind" value="feedback"' in html
    categories = _options(html, "category")
    assert world.waste.name in categories
    # "Khiếu nại" and "Tố cáo" are kinds with their own path, not categories too.
    assert world.complaints.name not in categories
    assert world.denunciations.name not in categories
    assert f'href="{URL}?kind=complaint"' in html
    assert f'href="{URL}?kind=denunciation"' in html


def test_the_complaint_path_is_short_and_asks_for_an_identity(client, world):
    html = client.get(URL, {"kind": "complaint"}).content.decode()
    assert "<h1>Gửi đơn khiếu nại</h1>" in html
    assert 'name="kind" value="complaint"' in html
    # Its only category is chosen for the citizen; no map, no anonymity, never public.
    assert f'<input type="hidden" name="category" value="{world.complaints.pk}">' in html
    for absent in ('name="is_anonymous"', 'name="make_public"', 'id="pick-map"'):
        assert absent not in html
    name_label = re.search(r'<label for="id_contact_name">.*?</label>', html, re.S).group(0)
    assert "(bắt buộc)" in name_label


def test_an_unknown_kind_in_the_address_gets_the_report_form(client, world):
    html = client.get(URL, {"kind": "<script>"}).content.decode()
    assert 'name="kind" value="feedback"' in html
    assert "<script>" not in html.split("</form>")[0].split("<form")[1]


def test_a_complaint_category_is_refused_on_the_report_path(client, report_form, media_files):
    from feedback.models import Category

    complaints = Category.objects.get(default_kind="complaint")
    r = client.post(URL, report_form(category=str(complaints.pk)))
    assert "category" in form_errors(r)
    assert_nothing_stored(media_files)


def test_required_fields_say_so_and_optional_ones_do_not(client, world):
    html = client.get(URL).content.decode()

    def label(field: str) -> str:
        return re.search(rf'<label for="id_{field}">.*?</label>', html, re.S).group(0)

    for field in ("description", "unit", "category", "captcha_1"):
        assert "(bắt buộc)" in label(field), field
    for field in ("address", "contact_name", "contact_email"):
        assert "(bắt buộc)" not in label(field), field


def test_a_photo_survives_a_wrong_captcha_and_is_filed_with_the_next_try(
    client, report_form, media_files
):
    r = client.post(URL, report_form(captcha_1="wrong", attachments=[jpeg_with_gps("rac.jpg")]))
    assert "captcha" in form_errors(r)
    assert_nothing_stored(media_files)
    html = r.content.decode()
    assert "Đã giữ 1 tệp bạn chọn trước đó" in html
    preview = re.search(r'<img src="(/gui-phan-anh/tep-da-chon/[^"]+)"', html).group(1)
    # The form's token can replay the submission: it is never in a URL.
    assert "form-token-0123456789abcdef" not in preview
    shown = client.get(preview)
    assert shown["Content-Type"] == "image/jpeg"
    assert not has_gps(shown.content)

    r = client.post(URL, report_form())  # no file chosen again
    assert r.status_code == 302
    photo = Ticket.objects.get().attachments.get()
    assert photo.original_name == "rac.jpg"
    assert not has_gps(photo.file.read())
    # Filed: the kept copy is gone.
    assert client.get(preview).status_code == 404


def test_new_files_replace_the_kept_ones(client, report_form):
    client.post(URL, report_form(captcha_1="wrong", attachments=[jpeg_with_gps("a.jpg")]))
    client.post(URL, report_form(attachments=[pdf("b.pdf")]))
    assert [a.original_name for a in Ticket.objects.get().attachments.all()] == ["b.pdf"]


def test_kept_files_can_be_dropped(client, report_form):
    client.post(URL, report_form(captcha_1="wrong", attachments=[jpeg_with_gps()]))
    r = client.post(URL, report_form(drop_kept="1"))
    assert r.status_code == 302
    assert not Ticket.objects.get().attachments.exists()


def test_a_refused_file_is_said_with_the_other_errors_and_nothing_is_kept(
    client, report_form, media_files
):
    r = client.post(URL, report_form(description="", attachments=[disguised()]))
    assert {"description", "attachments"} <= set(form_errors(r))
    assert "Đã giữ" not in r.content.decode()
    r = client.post(URL, report_form())
    assert not Ticket.objects.get().attachments.exists()


def test_another_forms_kept_files_are_not_taken(client, report_form):
    client.post(URL, report_form(captcha_1="wrong", attachments=[jpeg_with_gps()]))
    client.post(URL, report_form(idempotency_key="another-form-token-0123456789"))
    assert not Ticket.objects.get().attachments.exists()


def test_an_unknown_kept_preview_is_not_found(client, world):
    assert client.get("/gui-phan-anh/tep-da-chon/0123456789abcdef/0/").status_code == 404
