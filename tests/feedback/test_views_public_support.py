"""/gui-phan-anh/gan-day/ and /tra-cuu/<code>/cung-phan-anh/: finding a
report like mine and adding my voice to it instead of filing a duplicate."""

from __future__ import annotations

from feedback.models import Support


def test_nearby_lists_open_public_reports_of_the_category_in_the_ward(client, submit, world):
    ticket, _ = submit(title="Rác ngõ 12")
    submit(title="Khác phường", unit=world.ward_b)
    r = client.get("/gui-phan-anh/gan-day/", {"category": world.waste.pk, "unit": world.ward_a.pk})
    results = r.json()["results"]
    assert [x["code"] for x in results] == [ticket.display_code]
    assert results[0]["support_url"] == f"/tra-cuu/{ticket.code}/cung-phan-anh/"
    assert "an@example.com" not in r.content.decode()


def test_nearby_dates_are_day_month_year_in_hanoi(client, submit, world):
    from datetime import UTC, datetime

    from feedback.models import Ticket

    ticket, _ = submit()
    # 20:30 UTC on the 21st is 03:30 on the 22nd in Hà Nội.
    Ticket.objects.filter(pk=ticket.pk).update(
        received_at=datetime(2026, 11, 21, 20, 30, tzinfo=UTC)
    )
    r = client.get("/gui-phan-anh/gan-day/", {"category": world.waste.pk, "unit": world.ward_a.pk})
    assert r.json()["results"][0]["received"] == "22/11/2026"


def test_nearby_uses_the_pin_across_ward_borders(client, submit, world):
    ticket, _ = submit(unit=world.ward_b, latitude="21.0290", longitude="105.8520")
    r = client.get(
        "/gui-phan-anh/gan-day/",
        {"category": world.waste.pk, "unit": world.ward_a.pk, "lat": "21.0285", "lng": "105.8520"},
    )
    (found,) = r.json()["results"]
    assert found["code"] == ticket.display_code
    assert 50 < found["distance_m"] < 60


def test_nearby_with_bad_input_answers_an_empty_list(client, world):
    for params in (
        {},
        {"category": "x"},
        {"category": "999", "unit": "1"},
        {"category": world.waste.pk, "lat": "999", "lng": "abc"},
    ):
        r = client.get("/gui-phan-anh/gan-day/", params)
        assert r.status_code == 200
        assert r.json() == {"results": []}


def test_support_counts_once_per_person(client, submit):
    ticket, _ = submit()
    url = f"/tra-cuu/{ticket.code}/cung-phan-anh/"
    r = client.post(url, REMOTE_ADDR="203.0.113.1")
    assert r.status_code == 302 and r["Location"] == f"/tra-cuu/{ticket.code}/"
    client.post(url, REMOTE_ADDR="203.0.113.1")
    client.post(url, REMOTE_ADDR="203.0.113.2")
    ticket.refresh_from_db()
    assert ticket.supporter_count == 2
    assert Support.objects.filter(ticket=ticket).count() == 2
    assert "Cảm ơn bạn" in client.get(r["Location"]).content.decode()


def test_a_new_browser_or_cleared_cookies_do_not_count_again(client, submit):
    ticket, _ = submit()
    url = f"/tra-cuu/{ticket.code}/cung-phan-anh/"
    for n in range(4):
        client.cookies.clear()
        client.post(url, HTTP_USER_AGENT=f"Browser {n}", REMOTE_ADDR="203.0.113.7")
    ticket.refresh_from_db()
    assert ticket.supporter_count == 1


def test_one_ipv6_network_counts_once(client, submit):
    ticket, _ = submit()
    url = f"/tra-cuu/{ticket.code}/cung-phan-anh/"
    client.post(url, REMOTE_ADDR="2001:db8:1:2::10")
    client.post(url, REMOTE_ADDR="2001:db8:1:2:ffff::99")
    client.post(url, REMOTE_ADDR="2001:db8:1:3::10")
    ticket.refresh_from_db()
    assert ticket.supporter_count == 2


def test_support_is_post_only(client, submit):
    ticket, _ = submit()
    assert client.get(f"/tra-cuu/{ticket.code}/cung-phan-anh/").status_code == 405


def test_support_of_a_private_ticket_is_a_404(client, submit, world):
    ticket, _ = submit(kind="denunciation", category=world.denunciations)
    assert client.post(f"/tra-cuu/{ticket.code}/cung-phan-anh/").status_code == 404


def test_support_is_rate_limited_per_address(client, submit, settings):
    settings.FEEDBACK_SUPPORT_RATE = "2/h"
    ticket, _ = submit()
    url = f"/tra-cuu/{ticket.code}/cung-phan-anh/"
    codes = [client.post(url, HTTP_USER_AGENT=f"ua{i}").status_code for i in range(3)]
    assert codes == [302, 302, 429]


def test_the_tracking_page_offers_support_only_while_open(client, submit, world):
    from feedback import workflow

    ticket, _ = submit()
    assert "cung-phan-anh" in client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong")
    assert "cung-phan-anh" not in client.get(f"/tra-cuu/{ticket.code}/").content.decode()
