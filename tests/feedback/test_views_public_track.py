"""/tra-cuu/: look up by code, the public tracking page, the reporter's
private page and the files behind them."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback import attachments, workflow
from feedback.models import Rating, Ticket, TicketEvent
from tests.feedback.uploads import image_bytes, pdf

E = TicketEvent.Kind


@pytest.fixture
def resolved(submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_note(ticket, actor=world.officer_a, message="GHI CHU NOI BO")
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom xong.")
    ticket.refresh_from_db()
    return ticket, secret


@pytest.mark.parametrize("typed", ["{a}-{b}", "{a}{b}", " {la}-{lb} ", "{la} {lb}"])
def test_the_lookup_accepts_the_code_with_or_without_dash_in_any_case(client, submit, typed):
    ticket, _ = submit()
    a, b = ticket.code[:4], ticket.code[4:]
    r = client.get("/tra-cuu/", {"code": typed.format(a=a, b=b, la=a.lower(), lb=b.lower())})
    assert r.status_code == 302
    assert r["Location"] == f"/tra-cuu/{ticket.code}/"


def test_the_lookup_says_clearly_when_a_code_is_malformed_or_unknown(client, world):
    r = client.get("/tra-cuu/", {"code": "O0I1-LLLL"})
    assert "Mã tra cứu gồm 8 ký tự" in r.content.decode()
    r = client.get("/tra-cuu/", {"code": "ABCD-2345"})
    assert "Không tìm thấy phản ánh có mã này" in r.content.decode()


def test_a_lowercase_dashed_tracking_url_redirects_to_the_canonical_one(client, submit):
    ticket, _ = submit()
    r = client.get(f"/tra-cuu/{ticket.display_code.lower()}/")
    assert r.status_code == 302
    assert r["Location"] == f"/tra-cuu/{ticket.code}/"


def test_an_unknown_code_is_a_404(client, world):
    assert client.get("/tra-cuu/ABCD2345/").status_code == 404


def test_the_public_page_shows_the_answer_but_no_contact_or_internal_note(client, resolved):
    ticket, _ = resolved
    html = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert ticket.title in html
    assert "Đã thu gom xong." in html
    assert "UBND Phường Hoàn Kiếm" in html
    assert "Hạn giải quyết" in html
    for private in ("Nguyễn Văn An", "an@example.com", "0912345678", "GHI CHU NOI BO"):
        assert private not in html


def test_the_public_map_has_a_text_alternative(client, submit):
    ticket, _ = submit(latitude="21.0285", longitude="105.8522")
    html = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert 'aria-describedby="ticket-map-alt"' in html
    assert '<p class="help" id="ticket-map-alt">Tọa độ: 21.028500, 105.852200</p>' in html


def test_the_public_page_never_shows_what_the_citizen_wrote_back(client, submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Xin số nhà.")
    workflow.ticket_citizen_reply(ticket, secret=secret, message="NHA TOI SO 12")
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.")
    workflow.ticket_rate(ticket, secret=secret, overall=2, comment="BINH LUAN RIENG")
    html = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert "Xin số nhà." in html
    assert "NHA TOI SO 12" not in html
    assert "BINH LUAN RIENG" not in html
    assert "2/5" in html


def test_a_denunciation_shows_only_status_and_due_date_by_code(client, submit, world):
    ticket, _ = submit(
        kind="denunciation",
        category=world.denunciations,
        description="NOI DUNG TO CAO BI MAT",
        title="TIEU DE BI MAT",
    )
    workflow.ticket_route(ticket)
    html = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert "Đã chuyển xử lý" in html
    assert "Hạn giải quyết" in html
    for secret_text in ("NOI DUNG TO CAO BI MAT", "TIEU DE BI MAT", "Nguyễn Văn An", "Tố cáo</dd>"):
        assert secret_text not in html
    assert "UBND" not in html.split("<main")[1]


def test_the_private_page_needs_the_right_secret(client, submit):
    ticket, secret = submit()
    assert client.get(f"/tra-cuu/{ticket.code}/{secret}/").status_code == 200
    assert client.get(f"/tra-cuu/{ticket.code}/{'0' * 32}/").status_code == 404


def test_the_private_page_shows_the_reporters_own_details(client, submit):
    ticket, secret = submit()
    r = client.get(f"/tra-cuu/{ticket.code}/{secret}/")
    html = r.content.decode()
    assert "Nguyễn Văn An" in html and "an@example.com" in html
    # same-origin, not no-referrer: the secret in the address never leaves
    # the site, and the page's own forms still carry an Origin that Django's
    # CSRF check accepts (no-referrer made Chromium send "Origin: null").
    assert 'name="referrer" content="same-origin"' in html
    assert r["Referrer-Policy"] == "same-origin"


def test_the_reporter_replies_when_asked(client, submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Xin số nhà.")
    url = f"/tra-cuu/{ticket.code}/{secret}/"
    assert 'value="reply"' in client.get(url).content.decode()
    r = client.post(url, {"action": "reply", "message": "Số 12."})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS
    assert "Số 12." in client.get(url).content.decode()


def test_an_empty_reply_is_refused_on_the_field(client, submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Xin số nhà.")
    r = client.post(f"/tra-cuu/{ticket.code}/{secret}/", {"action": "reply", "message": " "})
    assert r.status_code == 200
    assert r.context["forms"]["reply"].errors["message"]


def test_the_reporter_rates_the_answer_with_every_aspect(client, resolved):
    ticket, secret = resolved
    url = f"/tra-cuu/{ticket.code}/{secret}/"
    r = client.post(
        url,
        {
            "action": "rate",
            "overall": "4",
            "timeliness": "3",
            "attitude": "5",
            "quality": "",
            "comment": "Ổn",
        },
    )
    assert r.status_code == 302
    rating = Rating.objects.get()
    assert (rating.overall, rating.timeliness, rating.attitude, rating.quality) == (4, 3, 5, None)
    assert rating.comment == "Ổn"
    assert 'value="rate"' not in client.get(url).content.decode()


def _positions(html: str, *markers: str) -> list[int]:
    return [html.index(m) for m in markers]


def test_the_private_page_leads_with_the_status_and_the_offices_answer(client, resolved):
    ticket, secret = resolved
    html = client.get(f"/tra-cuu/{ticket.code}/{secret}/").content.decode()
    order = _positions(
        html,
        'id="status-now"',
        'id="office-answer"',
        'id="rate"',
        'id="reopen"',
        'id="mine-h"',
        'id="tl-h"',
    )
    assert order == sorted(order)
    answer = html[html.index('id="office-answer"') : html.index('id="rate"')]
    assert "Trả lời của cơ quan" in answer and "Đã thu gom xong." in answer
    assert "GHI CHU NOI BO" not in html


def test_the_private_page_puts_the_offices_question_before_the_reply_form(client, submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Xin số nhà.")
    html = client.get(f"/tra-cuu/{ticket.code}/{secret}/").content.decode()
    question = html[html.index('id="office-answer"') : html.index('id="reply"')]
    assert "Cơ quan đề nghị bạn bổ sung thông tin" in question and "Xin số nhà." in question
    assert 'id="rate"' not in html


def test_before_any_answer_the_page_says_where_it_will_appear(client, submit):
    ticket, secret = submit()
    html = client.get(f"/tra-cuu/{ticket.code}/{secret}/").content.decode()
    assert "Cơ quan chưa trả lời." in html


def test_the_overall_score_is_five_named_stars_lowest_first(client, resolved):
    ticket, secret = resolved
    html = client.get(f"/tra-cuu/{ticket.code}/{secret}/").content.decode()
    star = r'<input type="radio" name="overall" value="(\d)"[^>]*class="star-input"'
    radios = re.findall(star, html)
    assert radios == ["1", "2", "3", "4", "5"]
    assert '<span class="visually-hidden">4 sao: hài lòng</span>' in html


def test_a_rating_redirects_so_a_reload_cannot_send_it_twice(client, resolved):
    ticket, secret = resolved
    url = f"/tra-cuu/{ticket.code}/{secret}/"
    r = client.post(url, {"action": "rate", "overall": "2"}, follow=True)
    assert r.redirect_chain == [(url, 302)]
    assert r.request["REQUEST_METHOD"] == "GET"
    assert "Cảm ơn bạn đã đánh giá." in r.content.decode()
    assert Rating.objects.count() == 1


def test_a_rating_out_of_range_is_refused(client, resolved):
    ticket, secret = resolved
    r = client.post(f"/tra-cuu/{ticket.code}/{secret}/", {"action": "rate", "overall": "9"})
    assert r.status_code == 200
    assert "overall" in r.context["forms"]["rate"].errors
    assert Rating.objects.count() == 0


def test_the_reporter_asks_to_reopen(client, resolved):
    ticket, secret = resolved
    r = client.post(
        f"/tra-cuu/{ticket.code}/{secret}/", {"action": "reopen", "reason": "Vẫn còn rác."}
    )
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REOPENED


def test_an_action_the_workflow_would_not_allow_is_refused(client, submit):
    ticket, secret = submit()
    r = client.post(f"/tra-cuu/{ticket.code}/{secret}/", {"action": "reopen", "reason": "x"})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RECEIVED


def test_public_files_are_served_and_private_ones_are_not(client, submit, world):
    files = attachments.validate_all([SimpleUploadedFile("a.jpg", image_bytes())])
    public, _ = submit(attachments=files)
    hidden, secret = submit(
        kind="denunciation",
        category=world.denunciations,
        attachments=attachments.validate_all([pdf()]),
    )
    photo = public.attachments.get()
    r = client.get(f"/tra-cuu/{public.code}/tep/{photo.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert r["X-Content-Type-Options"] == "nosniff"
    doc = hidden.attachments.get()
    assert client.get(f"/tra-cuu/{hidden.code}/tep/{doc.pk}/").status_code == 404
    # The file of one ticket is not reachable under another ticket's code.
    assert client.get(f"/tra-cuu/{hidden.code}/tep/{photo.pk}/").status_code == 404
    # The reporter reaches their own private file through the private link.
    r = client.get(f"/tra-cuu/{hidden.code}/{secret}/tep/{doc.pk}/")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment")
    assert client.get(f"/tra-cuu/{hidden.code}/{'0' * 32}/tep/{doc.pk}/").status_code == 404


def test_pages_link_files_through_the_checking_view_not_the_media_path(client, submit):
    files = attachments.validate_all([pdf()])
    ticket, _ = submit(attachments=files)
    stored = ticket.attachments.get()
    html = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert stored.file.name not in html
