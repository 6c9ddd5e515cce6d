"""/ and /phan-anh/: the home page and the public list and map with filters."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from django.utils import timezone

from feedback import workflow


def test_the_home_page_shows_recent_public_reports_and_the_transparency_link(client, submit):
    ticket, _ = submit(title="Đèn đường hỏng")
    hidden, _ = submit(title="Không công khai", is_public=False)
    html = client.get("/").content.decode()
    assert "Đèn đường hỏng" in html
    assert "Không công khai" not in html
    assert 'href="/minh-bach/"' in html
    assert 'href="/gui-phan-anh/"' in html
    assert "Khiếu nại" in html and "Tố cáo" in html


def test_the_home_page_works_with_no_reports_at_all(client, db):
    r = client.get("/")
    assert r.status_code == 200
    assert "Chưa có phản ánh công khai nào." in r.content.decode()


def test_the_list_shows_only_public_reports_without_contact(client, submit, world):
    submit(title="Rác ở ngõ 12")
    submit(kind="denunciation", category=world.denunciations, title="Tố cáo bí mật")
    html = client.get("/phan-anh/").content.decode()
    assert "Rác ở ngõ 12" in html
    assert "Tố cáo bí mật" not in html
    assert "an@example.com" not in html and "Nguyễn Văn An" not in html


def test_the_list_leaves_out_rejected_reports(client, submit, world):
    spam, _ = submit(title="Quảng cáo spam")
    workflow.ticket_route(spam)
    workflow.ticket_reject(spam, actor=world.officer_a, reason="Spam")
    assert "Quảng cáo spam" not in client.get("/phan-anh/").content.decode()


def test_the_list_filters_by_category_subtree_ward_status_and_date(client, submit, world):
    waste, _ = submit(title="AAA rác")
    submit(title="BBB cấp nước", category=world.water_cat, address="Phố Huế")
    submit(title="CCC Ba Đình", unit=world.ward_b)
    old, _ = submit(
        title="DDD cũ",
        received_at=timezone.now() - timedelta(days=30),
        entered_by=world.officer_a,
        channel="hotline",
    )
    workflow.ticket_route(waste)
    workflow.ticket_resolve(waste, actor=world.officer_a, message="Xong")

    def titles(**params):
        html = client.get("/phan-anh/", params).content.decode()
        return {t for t in ("AAA", "BBB", "CCC", "DDD") if f"{t} " in html}

    assert titles(category=world.environment.pk) == {"AAA", "CCC", "DDD"}
    assert titles(unit=world.ward_b.pk) == {"CCC"}
    assert titles(status="resolved") == {"AAA"}
    assert titles(status="open") == {"BBB", "CCC", "DDD"}
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert titles(**{"from": week_ago}) == {"AAA", "BBB", "CCC"}
    assert "DDD" in titles(to=(timezone.localdate() - timedelta(days=20)).isoformat())


def test_nonsense_filters_are_ignored_not_errors(client, submit):
    submit(title="AAA rác")
    r = client.get(
        "/phan-anh/", {"category": "x", "unit": "<b>", "from": "2025-13-45", "page": "99"}
    )
    assert r.status_code == 200
    assert "AAA rác" in r.content.decode()


def test_the_map_gets_pins_only_for_reports_with_a_place(client, submit):
    pinned, _ = submit(title="Có vị trí", latitude="21.0285", longitude="105.8542")
    submit(title="Không vị trí")
    r = client.get("/phan-anh/")
    pins = json.loads(
        r.content.decode().split('id="map-pins" type="application/json">')[1].split("</script>")[0]
    )
    assert [p["code"] for p in pins] == [pinned.display_code]
    assert pins[0]["url"] == f"/tra-cuu/{pinned.code}/"
    assert set(pins[0]) == {"code", "title", "status", "group", "lat", "lng", "url", "thumb"}
    assert pins[0]["group"] == "open" and pins[0]["thumb"] == ""


def _pins(html: str) -> list[dict]:
    return json.loads(html.split('id="map-pins" type="application/json">')[1].split("</script>")[0])


def _photo(name="p.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from feedback import attachments
    from tests.feedback.uploads import image_bytes

    upload = SimpleUploadedFile(name, image_bytes("JPEG", size=(1200, 900)), "image/jpeg")
    return attachments.validate_all([upload])


def test_pins_are_grouped_by_status_for_their_colour(client, submit, world):
    from feedback import workflow

    waiting, _ = submit(latitude="21.03", longitude="105.85")
    workflow.ticket_route(waiting)
    workflow.ticket_acknowledge(waiting, actor=world.officer_a)
    workflow.ticket_request_info(waiting, actor=world.officer_a, message="Số nhà?")
    done, _ = submit(latitude="21.02", longitude="105.84")
    workflow.ticket_route(done)
    workflow.ticket_resolve(done, actor=world.officer_a, message="Xong.")
    groups = {p["code"]: p["group"] for p in _pins(client.get("/phan-anh/").content.decode())}
    assert groups == {waiting.display_code: "waiting", done.display_code: "done"}


def test_the_list_and_the_pins_show_a_small_photo(client, submit):
    ticket, _ = submit(latitude="21.03", longitude="105.85", attachments=_photo())
    html = client.get("/phan-anh/").content.decode()
    photo = ticket.attachments.get()
    url = f"/tra-cuu/{ticket.code}/anh-nho/{photo.pk}/"
    assert f'<img class="thumb" src="{url}"' in html
    assert _pins(html)[0]["thumb"] == url
    r = client.get(url)
    assert r["Content-Type"] == "image/jpeg"
    from PIL import Image

    with Image.open(io.BytesIO(r.content)) as img:
        assert max(img.size) == 240


def test_a_private_reports_photo_has_no_thumbnail(client, submit):
    ticket, _ = submit(is_public=False, attachments=_photo())
    photo = ticket.attachments.get()
    assert client.get(f"/tra-cuu/{ticket.code}/anh-nho/{photo.pk}/").status_code == 404
    assert client.get(f"/tra-cuu/WRONGCDE/anh-nho/{photo.pk}/").status_code == 404


def test_the_list_reads_its_photos_in_one_query(client, submit, django_assert_max_num_queries):
    for i in range(3):
        submit(latitude="21.03", longitude="105.85", attachments=_photo(f"{i}.jpg"))
    client.get("/phan-anh/")  # warm the form lists
    with django_assert_max_num_queries(12) as ctx:
        client.get("/phan-anh/")
    assert sum("feedback_attachment" in q["sql"] for q in ctx.captured_queries) == 1


def test_the_pager_offers_first_and_last_pages(client, submit):
    for i in range(41):
        submit(title=f"Phản ánh {i}")
    html = client.get("/phan-anh/", {"page": 2}).content.decode()
    assert "Trang 2/3" in html
    assert 'page=1">« Trang đầu' in html and 'page=3">Trang cuối »' in html


def test_a_title_with_script_is_safe_inside_the_map_data(client, submit):
    submit(title="</script><script>alert(1)</script>", latitude="21.02", longitude="105.85")
    html = client.get("/phan-anh/").content.decode()
    assert "<script>alert(1)" not in html


def test_the_page_loads_leaflet_from_our_own_static_files(client, db):
    html = client.get("/phan-anh/").content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()
