"""/minh-bach/ and /minh-bach/phuong-phap/: the public rankings of offices
and the methodology page; and the public list filtered by office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import workflow
from feedback.models import Office


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.FEEDBACK_MIN_SAMPLE = 3
    settings.FEEDBACK_SCORE_WEIGHTS = {"on_time": 0.5, "satisfaction": 0.4, "reopen": 0.1}
    settings.FEEDBACK_RANKINGS_CACHE_SECONDS = 300


@pytest.fixture
def resolved(world, submit):
    """A report filed, routed and resolved on time just now (this month)."""

    def _resolved(officer=None, **overrides):
        ticket, secret = submit(**overrides)
        workflow.ticket_route(ticket)
        workflow.ticket_resolve(ticket, actor=officer or world.officer_a, message="Đã xử lý.")
        return ticket, secret

    return _resolved


@pytest.fixture
def overdue(world, submit):
    """A hotline report received 30 days ago, routed, never resolved."""

    def _overdue(**overrides):
        received = timezone.now() - timedelta(days=30)
        ticket, _ = submit(
            channel="hotline", entered_by=world.officer_a, received_at=received, **overrides
        )
        ticket = workflow.ticket_route(ticket, at=received)
        assert ticket.is_overdue()
        return ticket

    return _overdue


def section(html: str, group: str) -> str:
    start = html.index(f'id="khoi-{group}"')
    end = html.find("<section", start + 1)
    return html[start : end if end != -1 else len(html)]


def test_it_ranks_wards_and_names_the_high_and_the_low_satisfaction(
    client, world, resolved, overdue
):
    for stars in (5, 5, 4):
        ticket, secret = resolved()  # office A: 100% on time, all satisfied
        workflow.ticket_rate(ticket, secret=secret, overall=stars)
        overdue(unit=world.ward_b)  # office B: 3 overdue
    for stars in (5, 2, 1):
        ticket, secret = resolved(unit=world.ward_b, officer=world.officer_b)
        workflow.ticket_rate(ticket, secret=secret, overall=stars)

    r = client.get("/minh-bach/")
    assert r.status_code == 200
    wards = section(r.content.decode(), "wards")
    named_high, named_low = wards.split('class="named-low"')
    table = wards.split("<table")[1]
    assert "Hài lòng trên 90%" in named_high and "UBND Phường Hoàn Kiếm (100,0%)" in named_high
    assert "Hài lòng dưới 70%" in named_low
    assert "UBND Phường Ba Đình (33,3%)" in named_low.split("</div>")[0]
    assert table.index("UBND Phường Hoàn Kiếm") < table.index("UBND Phường Ba Đình")
    row_b = table[table.index("UBND Phường Ba Đình") :].split("</tr>")[0]
    assert "50,0%" in row_b  # on time: 3 of (3 resolved + 3 overdue)
    # QĐ 766: (6 items - 2 rated not satisfied - 3 overdue) / 6 = 16.7 %
    assert "16,7%" in row_b
    assert "Tốt" in table and "Cần cải thiện" in table


def test_it_keeps_peer_groups_in_separate_tables(client, world, resolved):
    for _ in range(3):
        resolved(category=world.water_cat, address="Phố Huế", officer=world.admin)
    html = client.get("/minh-bach/").content.decode()
    assert "Công ty Nước sạch Hà Nội" in section(html, "agencies")
    assert "Công ty Nước sạch Hà Nội" not in section(html, "wards")
    assert "UBND Phường Hoàn Kiếm" not in section(html, "agencies")
    assert "UBND Thành phố Hà Nội" not in html  # the city group is not ranked


def test_small_samples_are_listed_apart_with_counts_and_no_score(client, world, resolved):
    for _ in range(3):
        resolved(unit=world.ward_b, officer=world.officer_b)  # B: ranked, 100
    resolved()  # A: one case, too few to rank
    html = client.get("/minh-bach/").content.decode()
    wards = section(html, "wards")
    table, apart = wards.split('class="unranked-box"')
    assert "UBND Phường Ba Đình" in table and "UBND Phường Hoàn Kiếm" not in table
    assert "UBND Phường Hoàn Kiếm</a>: 1 đã giải quyết, 0 đang quá hạn" in apart
    assert "100,0" not in apart  # never a score beside or above the ranked ones
    # The reason is said once on the page, not on every row.
    assert html.count("chưa đủ dữ liệu") == 1
    assert "Chưa đủ dữ liệu" not in html


def test_it_never_shows_a_citizens_contact_details(client, world, resolved):
    for _ in range(3):
        resolved(contact_name="Trần Thị Bích", contact_email="bich@example.com")
    html = client.get("/minh-bach/").content.decode()
    assert "UBND Phường Hoàn Kiếm" in html
    for private in ("Trần Thị Bích", "bich@example.com", "0912345678", "ngõ 12 Hàng Bài"):
        assert private not in html


def test_it_is_an_accessible_table(client, world, resolved):
    for _ in range(3):
        resolved()
    html = client.get("/minh-bach/").content.decode()
    wards = section(html, "wards")
    assert '<div class="table-scroll"' in wards and "<caption" in wards
    assert '<th scope="col" role="columnheader"' in wards
    assert '<th scope="row" role="rowheader"' in wards
    assert '<td role="cell" class="num score" data-label="Điểm">100,0</td>' in wards
    assert f'href="/phan-anh/?office={world.office_a.pk}"' in wards
    assert 'href="/minh-bach/phuong-phap/"' in html
    assert 'aria-current="page">Tháng này' in html


def test_it_switches_period_and_ignores_an_unknown_one(client, world, resolved):
    for _ in range(3):
        resolved()
    this_month = client.get("/minh-bach/").content.decode()
    assert 'aria-current="page">Tháng này' in this_month
    assert "100,0" in section(this_month, "wards")
    last_month = client.get("/minh-bach/", {"ky": "last_month"}).content.decode()
    assert 'aria-current="page">Tháng trước' in last_month
    wards = section(last_month, "wards")
    assert "UBND Phường Hoàn Kiếm</a>: 0 đã giải quyết" in wards  # resolved this month, not last
    assert "100,0" not in wards
    unknown = client.get("/minh-bach/", {"ky": "'; drop table"})
    assert unknown.status_code == 200
    assert 'aria-current="page">Tháng này' in unknown.content.decode()


def test_it_answers_in_a_fixed_number_of_queries_and_caches_the_rankings(
    client, world, resolved, django_assert_max_num_queries
):
    resolved()
    # With the read of this month's summaries (feedback.snapshots).
    with django_assert_max_num_queries(6) as first:
        client.get("/minh-bach/")
    for i in range(10):
        Office.objects.create(
            code=f"so-{i}",
            name=f"Sở {i}",
            kind=Office.Kind.DEPARTMENT,
            peer_group=Office.PeerGroup.DEPARTMENTS,
            unit=world.hanoi,
        )
    with django_assert_max_num_queries(0):
        cached = client.get("/minh-bach/", {"ky": "this_month"}).content.decode()
    assert "Sở 9" not in cached  # the cached rankings, computed before
    # One more: the snapshots of the period's two past months are read
    # too (there are none here, so the figures are computed).
    with django_assert_max_num_queries(len(first) + 1) as other:
        fresh = client.get("/minh-bach/", {"ky": "3_months"}).content.decode()
    assert len(other) == len(first) + 1
    assert "Sở 9" in fresh


def test_it_computes_every_time_when_the_cache_is_off(client, world, resolved, settings):
    settings.FEEDBACK_RANKINGS_CACHE_SECONDS = 0
    client.get("/minh-bach/")
    resolved()
    html = client.get("/minh-bach/").content.decode()
    assert "UBND Phường Hoàn Kiếm</a>: 1 đã giải quyết" in section(html, "wards")


def test_the_methodology_page_publishes_the_weights_bands_and_sample_rule(client, db, settings):
    settings.FEEDBACK_SCORE_WEIGHTS = {"on_time": 0.6, "satisfaction": 0.4}
    settings.FEEDBACK_MIN_SAMPLE = 25
    r = client.get("/minh-bach/phuong-phap/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Tỷ lệ đúng hạn</th><td>0,6</td><td>60,0%</td>" in html
    assert "Tỷ lệ hài lòng</th><td>0,4</td><td>40,0%</td>" in html
    assert "100 − tỷ lệ mở lại" not in html  # not configured, not shown
    assert "dưới 25 phản ánh" in html and "dưới 25 lượt đánh giá" in html
    assert "766/QĐ-TTg" in html
    assert "trên 90%" in html and "dưới 70%" in html


def test_the_methodology_page_says_which_figures_are_official_and_which_are_ours(client, db):
    html = client.get("/minh-bach/phuong-phap/").content.decode()
    sources = html[html.index('id="m-sources"') : html.index('id="m-period"')]
    official, city, ours = sources.split("<li>")[1:4]
    assert "766/QĐ-TTg" in official and "tỷ lệ đúng hạn" in official
    assert "trên 90% và dưới 70%" in city
    assert "điểm dịch vụ 0–100" in ours and "không phải chỉ số chính thức" in ours
    assert "12,25 thành 12,3" in sources
    # Report deadlines are the city's and the product's, not the law's.
    assert "không do luật quy định" in html and "1207/QĐ-UBND" in html
    assert "theo quy định của pháp luật cho từng loại phản ánh" not in html
    assert "Tỷ lệ hài lòng (QĐ 766) = (Tổng số − Số đánh giá không hài lòng" in html


def test_the_public_list_filters_by_office(client, world, submit):
    a, _ = submit(title="AAA phường A")
    b, _ = submit(title="BBB phường B", unit=world.ward_b)
    workflow.ticket_route(a)
    workflow.ticket_route(b)
    html = client.get("/phan-anh/", {"office": world.office_b.pk}).content.decode()
    assert "BBB phường B" in html and "AAA phường A" not in html
    assert f'<option value="{world.office_b.pk}" selected>' in html
    everything = client.get("/phan-anh/", {"office": "nonsense"}).content.decode()
    assert "AAA phường A" in everything and "BBB phường B" in everything
