"""scores.survey_index: the per-office index of the satisfaction survey,
worked out by hand, with its sample size and no rank for small samples;
and its table on the transparency page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from feedback import scores, workflow
from feedback.models import SurveyResponse

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (datetime(2026, 3, 1, tzinfo=HANOI), datetime(2026, 4, 1, tzinfo=HANOI))


@pytest.fixture(autouse=True)
def _small_sample(settings):
    settings.FEEDBACK_MIN_SAMPLE = 3
    settings.FEEDBACK_RANKINGS_CACHE_SECONDS = 0


@pytest.fixture
def answered(world, submit):
    """A report resolved by `officer` on 10 March, its survey answered on `day`."""

    def _answered(answers, *, day=12, unit=None, officer=None):
        ticket, secret = submit(**({"unit": unit} if unit else {}))
        received = datetime(2026, 3, 2, 9, tzinfo=HANOI)
        workflow.ticket_route(ticket, at=received)
        workflow.ticket_resolve(
            ticket,
            actor=officer or world.officer_a,
            message="Đã xử lý.",
            at=datetime(2026, 3, 10, 9, tzinfo=HANOI),
        )
        when = datetime(2026, 3 if day > 0 else 4, abs(day), 9, tzinfo=HANOI)
        return workflow.ticket_survey(ticket, secret=secret, answers=answers, at=when)

    return _answered


def by_office(rows):
    return {r.office_id: r for r in rows}


def test_it_works_out_each_element_and_the_index_by_hand(world, answered):
    answered({"access": 5, "procedure": 4, "conduct": 2, "result": 5, "handling": 1})
    answered({"access": 4, "procedure": 2, "conduct": 5, "result": 5})  # handling left out
    answered({"access": 3, "procedure": 1, "conduct": 4, "result": 4, "handling": 5})
    answered({"access": 5}, day=-1)  # answered in April: not in March

    row = by_office(scores.survey_index(start=MARCH[0], end=MARCH[1]))[world.office_a.pk]
    assert row.responses == 3
    # access 2/3, procedure 1/3, conduct 2/3, result 3/3, handling 1/2 (one left it out)
    assert row.elements == {
        "access": 66.7,
        "procedure": 33.3,
        "conduct": 66.7,
        "result": 100.0,
        "handling": 50.0,
    }
    # (66.67 + 33.33 + 66.67 + 100 + 50) / 5 = 63.33, from the unrounded elements
    assert row.index == 63.3
    assert row.element_list == [66.7, 33.3, 66.7, 100.0, 50.0]
    assert row.ranked and row.rank == 1


def test_a_small_sample_is_shown_but_not_ranked_above_a_large_one(world, answered):
    for _ in range(3):
        answered({"result": 4, "handling": 3}, unit=world.ward_b, officer=world.officer_b)
    for _ in range(2):  # a perfect index, on two answers only
        answered({"access": 5, "procedure": 5, "conduct": 5, "result": 5, "handling": 5})

    rows = scores.survey_index(start=MARCH[0], end=MARCH[1])
    a, b = by_office(rows)[world.office_a.pk], by_office(rows)[world.office_b.pk]
    assert (b.index, b.responses, b.ranked, b.rank) == (50.0, 3, True, 1)
    assert (a.index, a.responses, a.ranked, a.rank) == (100.0, 2, False, None)
    assert [r.office_id for r in rows] == [world.office_b.pk, world.office_a.pk]


def test_offices_without_answers_are_left_out(world, answered):
    assert scores.survey_index(start=MARCH[0], end=MARCH[1]) == []
    answered({"result": 2})
    assert [r.office_id for r in scores.survey_index(start=MARCH[0], end=MARCH[1])] == [
        world.office_a.pk
    ]


def test_it_answers_in_one_grouped_query_given_the_offices(
    world, answered, django_assert_num_queries
):
    answered({"result": 2})
    offices = scores.office_rankings(start=MARCH[0], end=MARCH[1])
    with django_assert_num_queries(1):
        scores.survey_index(start=MARCH[0], end=MARCH[1], offices=offices)


def test_the_transparency_page_shows_the_index_with_its_sample(client, world, submit):
    for stars in (5, 4, 2):
        ticket, secret = submit()
        workflow.ticket_route(ticket)
        workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.")
        workflow.ticket_survey(
            ticket, secret=secret, answers=dict.fromkeys(SurveyResponse.QUESTIONS, stars)
        )
    html = client.get("/minh-bach/").content.decode()
    wards = html[html.index('id="khoi-wards"') : html.index('id="khoi-departments"')]
    survey = wards[wards.index('id="ks-wards"') :]
    row = survey[survey.index("UBND Phường Hoàn Kiếm") :].split("</tr>")[0]
    assert '66,7%</td>\n        <td class="num">3</td>' in row
    assert 'href="/minh-bach/phuong-phap/#m-survey"' in survey


def test_the_methodology_page_publishes_the_survey_method(client, db):
    html = client.get("/minh-bach/phuong-phap/").content.decode()
    method = html[html.index('id="m-survey"') :]
    assert "1001/QĐ-BNV" in method
    assert method.count("<li><strong>") == 5
    assert "Chỉ số của một yếu tố = Số câu trả lời 4 hoặc 5" in method
    assert "trọng số bằng nhau: đây là lựa chọn của hệ thống" in method
