"""The ticket page /staff/tickets/<code>/ and its per-action URLs."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from feedback import workflow
from feedback.models import Attachment, Membership, ResponseTemplate, Ticket, TicketEvent

S = Ticket.Status
E = TicketEvent.Kind


def page(client, ticket):
    return client.get(f"/staff/tickets/{ticket.code}/")


def offered(html: str, code: str) -> set[str]:
    return set(re.findall(rf'action="/staff/tickets/{code}/([a-z_]+)/"', html))


def post(client, ticket, action, **data):
    return client.post(f"/staff/tickets/{ticket.code}/{action}/", data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_it_shows_the_whole_timeline_telling_public_from_internal(world, routed, client_as):
    ticket = routed()
    workflow.ticket_note(ticket, actor=world.officer_a, message="Đã gọi điện cho tổ dân phố.")
    html = page(client_as(world.officer_a), ticket).content.decode()
    assert "Đã gọi điện cho tổ dân phố." in html
    note = html.split("Đã gọi điện cho tổ dân phố.")[0].rsplit("<li", 1)[1]
    assert "event-internal" in note and "Nội bộ" in note
    assert "event-public" in html and "Công khai" in html


def test_it_shows_why_the_ticket_came_here(world, routed, client_as):
    from feedback.models import RoutingRule

    rule = RoutingRule.objects.create(
        category=world.waste, unit=world.ward_a, office=world.office_a
    )
    ticket = routed()
    html = page(client_as(world.officer_a), ticket).content.decode()
    assert f"#{rule.pk}" in html and ticket.routing_reason in html


def test_it_finds_the_ticket_by_its_code_with_a_dash(world, routed, client_as):
    ticket = routed()
    r = client_as(world.officer_a).get(f"/staff/tickets/{ticket.display_code.lower()}/")
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer_b", 404), ("dispatcher", 404), ("outsider", 403), ("leader", 200)],
)
def test_it_hides_the_ticket_from_non_viewers_with_404(world, routed, client_as, role, expected):
    ticket = routed()
    assert page(client_as(getattr(world, role)), ticket).status_code == expected
    assert client_as(world.officer_b).get("/staff/tickets/ZZZZZZZZ/").status_code == 404


@pytest.mark.parametrize("role", ["officer_a", "head_a", "leader", "admin"])
@pytest.mark.parametrize("status", [S.ROUTED, S.IN_PROGRESS, S.RESOLVED])
def test_it_offers_exactly_the_actions_the_workflow_allows(world, routed, client_as, role, status):
    ticket = routed()
    if status != S.ROUTED:
        workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    if status == S.RESOLVED:
        workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong")
    ticket.refresh_from_db()
    user = getattr(world, role)
    html = page(client_as(user), ticket).content.decode()
    assert offered(html, ticket.code) == workflow.allowed_actions(user, ticket)


ACTION_CASES = {
    "acknowledge": ({}, lambda t, w: t.status == S.IN_PROGRESS),
    "request_info": ({"message": "Xin ảnh."}, lambda t, w: t.status == S.AWAITING_CITIZEN),
    "note": ({"message": "Nội bộ."}, lambda t, w: t.events.filter(kind=E.NOTE).exists()),
    "answer": ({"message": "Đang xử lý."}, lambda t, w: t.first_response_at is not None),
    "resolve": ({"message": "Đã thu gom."}, lambda t, w: t.status == S.RESOLVED),
    "not_ours": ({"reason": "Đường của TP"}, lambda t, w: t.office != w.office_a),
    "reject": ({"reason": "Spam"}, lambda t, w: t.status == S.REJECTED),
}


@pytest.mark.parametrize("action", ACTION_CASES)
def test_it_carries_out_each_action_through_the_workflow(world, routed, client_as, action):
    data, done = ACTION_CASES[action]
    ticket = routed()
    if action not in ("acknowledge", "not_ours", "reject"):
        workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    r = post(client_as(world.officer_a), ticket, action, **data)
    assert r.status_code == 200
    ticket.refresh_from_db()
    assert done(ticket, world), messages_of(r)


def test_it_lets_the_head_assign_and_an_officer_take_the_ticket(world, routed, client_as):
    colleague = type(world.officer_a).objects.create_user("colleague_a", password="x")
    Membership.objects.create(user=colleague, office=world.office_a)
    ticket = routed()
    post(client_as(world.head_a), ticket, "assign", assignee=colleague.pk)
    ticket.refresh_from_db()
    assert ticket.assignee == colleague
    post(client_as(world.officer_a), ticket, "assign", assignee=world.officer_a.pk)
    ticket.refresh_from_db()
    assert ticket.assignee == world.officer_a
    r = post(client_as(world.officer_a), ticket, "assign", assignee=colleague.pk)
    assert any("Chỉ lãnh đạo" in m for m in messages_of(r))
    r = post(client_as(world.head_a), ticket, "assign", assignee="nobody")
    assert any("chọn cán bộ" in m for m in messages_of(r))


def test_it_transfers_with_a_reason_and_returns_to_the_inbox(world, routed, client_as):
    ticket = routed()
    r = client_as(world.officer_a).post(
        f"/staff/tickets/{ticket.code}/transfer/",
        {"to_office": world.water.pk, "reason": "Đường ống cấp nước"},
    )
    assert r.status_code == 302 and r.url == "/staff/"
    ticket.refresh_from_db()
    assert ticket.office == world.water


def test_it_merges_into_a_duplicate_given_by_code(world, routed, client_as):
    original, duplicate = routed(), routed()
    post(client_as(world.officer_a), duplicate, "merge", into=original.display_code)
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.status == S.REJECTED


def test_it_will_not_merge_into_a_ticket_the_user_cannot_see(world, routed, client_as):
    ours, theirs = routed(), routed(unit=world.ward_b)
    r = post(client_as(world.officer_a), ours, "merge", into=theirs.code)
    assert any("Không tìm thấy" in m for m in messages_of(r))
    ours.refresh_from_db()
    assert ours.status == S.ROUTED


def test_it_lets_the_head_extend_a_denunciation(world, routed, client_as):
    """An accepted, complex denunciation (Luật Tố cáo 2018 art. 30(2))."""
    ticket = routed(kind="denunciation", category=world.denunciations, is_complex=True)
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    due = ticket.due_at
    post(client_as(world.head_a), ticket, "extend", reason="QĐ 12/QĐ-UBND")
    ticket.refresh_from_db()
    assert ticket.extensions == 1 and ticket.due_at > due


def test_it_shows_domain_errors_and_changes_nothing(world, routed, client_as):
    ticket = routed()
    r = post(client_as(world.officer_a), ticket, "resolve", message="   ")
    assert any("Vui lòng nhập" in m for m in messages_of(r))
    r = post(client_as(world.officer_a), ticket, "request_info", message="Ảnh?")
    assert any("Không thể" in m for m in messages_of(r))
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED


def test_it_lets_a_leader_read_but_not_act(world, routed, client_as):
    ticket = routed()
    events = ticket.events.count()
    client = client_as(world.leader)
    for action, data in [
        ("acknowledge", {}),
        ("resolve", {"message": "x"}),
        ("note", {"message": "x"}),
    ]:
        r = post(client, ticket, action, **data)
        assert any("không có quyền" in m for m in messages_of(r))
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED and ticket.events.count() == events


def test_it_answers_404_to_actions_on_other_offices_tickets(world, routed, client_as):
    ticket = routed()
    r = client_as(world.officer_b).post(f"/staff/tickets/{ticket.code}/resolve/", {"message": "x"})
    assert r.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED
    r = client_as(world.officer_a).post(f"/staff/tickets/{ticket.code}/explode/")
    assert r.status_code == 404
    assert (
        client_as(world.officer_a).get(f"/staff/tickets/{ticket.code}/resolve/").status_code == 405
    )


def test_it_offers_the_response_templates_of_the_category_subtree_and_global(
    world, routed, client_as
):
    ResponseTemplate.objects.create(title="Chung", body="Cảm ơn ông/bà.")
    ResponseTemplate.objects.create(
        category=world.environment, title="Môi trường", body="Đã cử đội."
    )
    ResponseTemplate.objects.create(category=world.water_cat, title="Nước", body="Đã báo công ty.")
    ResponseTemplate.objects.create(title="Cũ", body="x", is_active=False)
    ticket = routed()
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    html = page(client_as(world.officer_a), ticket).content.decode()
    assert 'data-body="Cảm ơn ông/bà."' in html and 'data-body="Đã cử đội."' in html
    assert "Đã báo công ty." not in html and ">Cũ<" not in html


@pytest.fixture
def attachment(routed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = routed()
    found = Attachment(
        ticket=ticket,
        content_type="image/png",
        extension=".png",
        size=4,
        sha256="0" * 64,
        original_name="anh.png",
    )
    found.file.save("x.png", ContentFile(b"\x89PNG"), save=True)
    return found


def test_a_pdf_is_a_sandboxed_download_never_shown_in_the_page(world, routed, client_as):
    ticket = routed()
    pdf = Attachment(
        ticket=ticket, content_type="application/pdf", extension=".pdf", size=40,
        sha256="1" * 64, original_name="don.pdf",
    )  # fmt: skip
    pdf.file.save("don.pdf", ContentFile(b"%PDF-1.4 /JS (app.alert(1))"), save=True)
    r = client_as(world.officer_a).get(f"/staff/tickets/{ticket.code}/attachments/{pdf.pk}/")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in r["Content-Security-Policy"]
    assert r["X-Content-Type-Options"] == "nosniff"


def test_an_image_is_shown_sandboxed(world, attachment, client_as):
    url = f"/staff/tickets/{attachment.ticket.code}/attachments/{attachment.pk}/"
    r = client_as(world.officer_a).get(url)
    assert r["Content-Disposition"].startswith("inline;")
    assert "sandbox" in r["Content-Security-Policy"]
    assert r["Cache-Control"] == "private, no-store"


def test_it_serves_attachments_to_viewers_only(world, attachment, client_as, routed):
    url = f"/staff/tickets/{attachment.ticket.code}/attachments/{attachment.pk}/"
    r = client_as(world.officer_a).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"\x89PNG"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert client_as(world.officer_b).get(url).status_code == 404
    other = routed()
    wrong = f"/staff/tickets/{other.code}/attachments/{attachment.pk}/"
    assert client_as(world.officer_a).get(wrong).status_code == 404
    html = page(client_as(world.officer_a), attachment.ticket).content.decode()
    assert url in html


def test_it_offers_the_next_step_first_and_sets_the_risky_actions_apart(world, routed, client_as):
    ticket = routed()
    html = page(client_as(world.officer_a), ticket).content.decode()
    order = re.findall(rf'action="/staff/tickets/{ticket.code}/([a-z_]+)/"', html)
    assert order[0] == "acknowledge"  # "Thụ lý" before "Giải quyết xong"
    assert order.index("acknowledge") < order.index("resolve")
    assert order[-2:] == ["not_ours", "reject"]
    assert 'class="card action-primary" id="form-acknowledge"' in html
    risky = html[html.index('class="risky-actions"') :]
    assert f"/{ticket.code}/not_ours/" in risky and f"/{ticket.code}/reject/" in risky
    assert f"/{ticket.code}/transfer/" not in risky
    assert risky.count("btn-danger") == 2

    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    html = page(client_as(world.officer_a), ticket).content.decode()
    order = re.findall(rf'action="/staff/tickets/{ticket.code}/([a-z_]+)/"', html)
    assert order[0] == "resolve"
    assert 'class="card action-card action-primary" open>' in html


def test_it_confirms_what_changed_and_who_was_told(world, routed, client_as):
    ticket = routed()
    client = client_as(world.officer_a)
    (message,) = messages_of(post(client, ticket, "acknowledge"))
    assert f"Đã cập nhật phản ánh {ticket.display_code}." in message
    assert "Trạng thái: Đã chuyển xử lý → Đang xử lý." in message
    assert "Người xử lý: officer_a." in message
    assert "Không gửi thông báo cho ai." in message

    (message,) = messages_of(post(client, ticket, "resolve", message="Đã dọn xong."))
    assert "Trạng thái: Đang xử lý → Đã giải quyết." in message
    assert "Thông báo gửi tới: người phản ánh (Thư điện tử)." in message

    other = routed()
    r = client.post(
        f"/staff/tickets/{other.code}/transfer/",
        {"to_office": world.office_b.pk, "reason": "Thuộc phường Ba Đình"},
        follow=True,
    )
    (message,) = messages_of(r)
    assert f"Chuyển đến: {world.office_b.name}." in message
    assert f"người phản ánh (Thư điện tử); 1 cán bộ của {world.office_b.name}." in message


def test_it_confirms_nothing_when_the_action_is_refused(world, routed, client_as):
    ticket = routed()
    (message,) = messages_of(post(client_as(world.officer_a), ticket, "resolve", message=""))
    assert "Đã cập nhật" not in message
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED


def test_it_previews_images_through_the_permission_checked_view(world, routed, client_as):
    from feedback import attachments
    from tests.feedback.uploads import image_bytes, pdf

    ticket = routed()
    big = ContentFile(image_bytes("PNG", size=(1200, 900), gps=False), name="pho.png")
    photo, letter = attachments.store(
        ticket, [attachments.validate(big), attachments.validate(pdf())]
    )
    url = f"/staff/tickets/{ticket.code}/attachments/{photo.pk}/"
    html = page(client_as(world.officer_a), ticket).content.decode()
    assert f'<img src="{url}?preview=1" loading="lazy" alt="Ảnh 1: pho.png">' in html
    assert f"/attachments/{letter.pk}/?preview" not in html  # a PDF is listed, not previewed
    assert f'href="/staff/tickets/{ticket.code}/attachments/{letter.pk}/"' in html

    r = client_as(world.officer_a).get(url, {"preview": "1"})
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert r["Cache-Control"] == "private, no-store"
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(r.content)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 320
    assert client_as(world.officer_b).get(url, {"preview": "1"}).status_code == 404


def test_it_answers_404_for_a_preview_of_an_unreadable_image(world, attachment, client_as):
    url = f"/staff/tickets/{attachment.ticket.code}/attachments/{attachment.pk}/"
    assert client_as(world.officer_a).get(url, {"preview": "1"}).status_code == 404


def test_it_shows_a_small_map_where_the_report_has_coordinates(world, routed, client_as):
    placed = routed(latitude="21.0285", longitude="105.8542")
    html = page(client_as(world.officer_a), placed).content.decode()
    assert 'id="ticket-map"' in html and 'data-lat="21.028500"' in html
    assert "leaflet/leaflet.js" in html and "js/maps.js" in html
    assert "21,028500" in html.split('id="ticket-map"')[0]  # the coordinates as text, too
    html = page(client_as(world.officer_a), routed()).content.decode()
    assert 'id="ticket-map"' not in html and "leaflet" not in html


def test_it_tells_the_office_how_and_in_which_language_the_reporter_hears(world, routed, client_as):
    ticket = routed(language="en")
    html = page(client_as(world.officer_a), ticket).content.decode()
    assert '<dd id="notify-by">Thư điện tử · Tiếng Anh</dd>' in html
