"""Public reads: tickets (list with filters and cursor, one by code),
categories, units, offices, rankings."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from feedback import workflow

URL = "/api/v1/tickets/"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_it_lists_public_tickets_newest_first_without_private_data(world, api, submit):
    older, _ = submit(description="Ổ gà trên phố Huế", at=timezone.now() - timedelta(hours=2))
    newer, _ = submit(description="Đèn đường hỏng")
    submit(description="Khiếu nại riêng", category=world.complaints, kind="complaint")
    response = api.get(URL)
    assert codes(response) == [newer.display_code, older.display_code]
    row = response.json()["results"][0]
    assert "contact_email" not in row and "an@example.com" not in str(row)


def test_it_filters_by_unit_category_status_bbox_and_dates(world, api, submit, routed):
    in_a, _ = submit(latitude="21.0285", longitude="105.8542")
    in_b, _ = submit(
        unit=world.ward_b, description="Ở Ba Đình", latitude="21.04", longitude="105.83"
    )
    water = routed(category=world.water_cat, description="Mất nước", address="Phố Huế")
    workflow.ticket_resolve(water, actor=world.admin, message="Đã cấp nước lại.")
    assert codes(api.get(URL, {"unit": world.ward_b.code})) == [in_b.display_code]
    assert codes(api.get(URL, {"category": world.environment.code})) == [
        in_b.display_code,
        in_a.display_code,
    ]
    assert codes(api.get(URL, {"status": "resolved"})) == [water.display_code]
    assert codes(api.get(URL, {"bbox": "105.85,21.02,105.86,21.03"})) == [in_a.display_code]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert codes(api.get(URL, {"date_from": tomorrow})) == []


def test_it_refuses_bad_filters_with_the_field(world, api):
    for params, field in [
        ({"unit": "nowhere"}, "unit"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "106,22,105,21"}, "bbox"),
        ({"date_from": "hôm qua"}, "date_from"),
        ({"status": "lost"}, "status"),
    ]:
        response = api.get(URL, params)
        assert response.status_code == 400, params
        assert field in response.json()["error"]["fields"]


def test_it_pages_with_a_cursor(world, api, submit):
    base = timezone.now() - timedelta(hours=5)
    made = [
        submit(description=f"Phản ánh {i}", at=base + timedelta(minutes=i))[0] for i in range(5)
    ]
    first = api.get(URL, {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    seen = [r["code"] for page in (first, second, third) for r in page["results"]]
    assert seen == [t.display_code for t in reversed(made)]
    assert third["next"] is None


def test_it_shows_one_public_ticket_with_its_public_timeline(world, api, routed):
    ticket = routed()
    workflow.ticket_note(ticket, actor=world.officer_a, message="Ghi chú nội bộ")
    workflow.ticket_answer(
        workflow.ticket_acknowledge(ticket, actor=world.officer_a),
        actor=world.officer_a,
        message="Phường đã cử người xử lý.",
    )
    response = api.get(f"{URL}{ticket.code.lower()}/")
    assert response.status_code == 200
    body = response.json()
    kinds = [e["kind"] for e in body["timeline"]]
    assert "note" not in kinds and "answered" in kinds
    assert "Ghi chú nội bộ" not in str(body)


def test_it_hides_a_private_ticket_unless_the_key_filed_it(world, api, make_key, as_key):
    client, key = make_key()
    response = as_key(key).post(
        URL,
        {
            "category": world.complaints.code,
            "unit": world.ward_a.code,
            "description": "Khiếu nại quyết định xử phạt",
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "0912345678",
            "consent": True,
        },
        format="json",
    )
    code = response.json()["code"]
    assert as_key(key).get(f"{URL}{code}/").status_code == 200
    _, other = make_key("other")
    assert as_key(other).get(f"{URL}{code}/").status_code == 404
    api.credentials()
    assert api.get(f"{URL}{code}/").status_code == 404
    assert api.get(f"{URL}ZZZZ-ZZZZ/").status_code == 404


def test_it_lists_categories_with_their_questions(world, api):
    world.waste.extra_fields = [
        {"code": "volume", "description": "Khối lượng", "datatype": "string"}
    ]
    world.waste.save()
    body = api.get("/api/v1/categories/").json()
    waste = next(c for c in body if c["code"] == "rac-thai")
    assert waste["parent"] == "moi-truong" and waste["questions"][0]["code"] == "volume"


def test_it_lists_reporting_units_and_public_offices(world, api):
    units = {u["code"] for u in api.get("/api/v1/units/").json()}
    assert units == {world.ward_a.code, world.ward_b.code, world.remote.code}
    offices = {o["code"] for o in api.get("/api/v1/offices/").json()}
    assert {"ubnd-hoan-kiem", "ubnd-ba-dinh", "nuoc-sach"} <= offices
    assert "dispatch" not in offices


def test_it_lists_rankings_for_a_period(world, api, routed):
    ticket = routed()
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.")
    rows = api.get("/api/v1/rankings/", {"period": "this_month"}).json()
    row = next(r for r in rows if r["office"] == world.office_a.pk)
    assert row["resolved"] == 1
    assert api.get("/api/v1/rankings/", {"period": "forever"}).status_code == 400


def test_it_needs_the_read_public_scope_for_a_key(world, make_key, as_key):
    _, key = make_key("writer", scopes=["file"])
    response = as_key(key).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "missing_scope"


def test_it_limits_anonymous_reads_per_address(world, api, settings):
    settings.FEEDBACK_LOOKUP_RATE = "2/m"
    assert [api.get("/api/v1/units/").status_code for _ in range(3)] == [200, 200, 429]
