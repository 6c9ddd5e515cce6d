"""The office head's numbers page /staff/office/."""

from __future__ import annotations

import pytest
from django.utils import timezone

from feedback import workflow


def test_it_shows_a_head_the_months_numbers_of_their_office(world, routed, client_as):
    routed()
    done = routed()
    workflow.ticket_resolve(done, actor=world.officer_a, message="Xong")
    routed(unit=world.ward_b)  # office B's
    r = client_as(world.head_a).get("/staff/office/")
    assert r.status_code == 200
    n = r.context["numbers"]
    assert (n.received, n.resolved, n.resolved_on_time) == (2, 1, 1)
    html = r.content.decode()
    assert 'id="n-received">2<' in html and 'id="n-on-time">1/1<' in html


def test_it_takes_the_month_from_the_query(world, client_as):
    client = client_as(world.head_a)
    assert client.get("/staff/office/", {"month": "2026-02"}).context["month"].month == 2
    r = client.get("/staff/office/")
    assert r.status_code == 200
    assert r.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize(
    "month", ["99999999999999-1", "9999-12", "1999-12", "2026-13", "2026-0", "feb", "2026"]
)
def test_a_month_it_cannot_answer_for_is_a_clear_400(world, client_as, month):
    r = client_as(world.head_a).get("/staff/office/", {"month": month})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Tháng không hợp lệ" in html and "2000" in html and "2100" in html
    assert r.templates[0].name == "staff/bad_request.html"


def test_it_is_for_heads_and_administrators_only(world, client_as):
    for role in ("officer_a", "leader", "outsider"):
        assert client_as(getattr(world, role)).get("/staff/office/").status_code == 403
    r = client_as(world.admin).get("/staff/office/", {"office": world.office_b.pk})
    assert r.status_code == 200 and r.context["office"] == world.office_b


def test_it_never_shows_a_head_another_offices_numbers(world, client_as):
    r = client_as(world.head_a).get("/staff/office/", {"office": world.office_b.pk})
    assert r.context["office"] == world.office_a
