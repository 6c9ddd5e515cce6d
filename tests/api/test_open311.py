"""Open311 GeoReport v2 at /open311/v2/: the spec's shapes in JSON and XML,
its error format, POST with an api_key; and an independent client library
(georeport, from PyPI) driving the endpoints over real HTTP."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from feedback import workflow
from feedback.models import Ticket

BASE = "/open311/v2"


def post_data(world, key, **overrides):
    data = {
        "api_key": key,
        "service_code": world.waste.code,
        "lat": "21.0285",
        "long": "105.8542",
        "address_id": world.ward_a.code,
        "description": "Rác thải tồn đọng ở ngõ 12 Hàng Bài.",
        "email": "an@example.com",
        "first_name": "An",
        "last_name": "Nguyễn Văn",
        "attribute[consent]": "true",
    }
    data.update(overrides)
    return data


def test_discovery_lists_the_v2_endpoint(db, client):
    body = client.get("/open311/discovery.json").json()
    (endpoint,) = body["endpoints"]
    assert endpoint["url"].endswith("/open311/v2") and "application/json" in endpoint["formats"]
    xml = ET.fromstring(client.get("/open311/discovery.xml").content)
    assert xml.tag == "discovery" and xml.find("endpoints/endpoint/formats/format") is not None


def test_services_come_from_categories(world, client):
    services = client.get(f"{BASE}/services.json").json()
    waste = next(s for s in services if s["service_code"] == "rac-thai")
    assert waste == {
        "service_code": "rac-thai",
        "service_name": "Rác thải",
        "description": "",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "Môi trường",
    }
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} >= {"rac-thai"}
    assert root.find("service/metadata").text == "true"


def test_a_service_definition_lists_ward_consent_and_the_categorys_questions(world, client):
    world.waste.extra_fields = [
        {
            "code": "volume",
            "description": "Khối lượng",
            "datatype": "singlevaluelist",
            "required": True,
            "values": [{"key": "small", "name": "Ít"}, "lot"],
        }
    ]
    world.waste.save()
    body = client.get(f"{BASE}/services/rac-thai.json").json()
    codes = [a["code"] for a in body["attributes"]]
    assert body["service_code"] == "rac-thai" and codes == ["ward", "consent", "volume"]
    volume = body["attributes"][2]
    assert volume["values"] == [{"key": "small", "name": "Ít"}, {"key": "lot", "name": "lot"}]
    assert {"key": world.ward_a.code, "name": world.ward_a.name} in body["attributes"][0]["values"]
    root = ET.fromstring(client.get(f"{BASE}/services/rac-thai.xml").content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None
    missing = client.get(f"{BASE}/services/khong-co.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": missing.json()[0]["description"]}]


def test_it_files_a_request_with_an_api_key(world, client, make_key):
    owner, key = make_key("311 app")
    response = client.post(f"{BASE}/requests.json", post_data(world, key, **{"media_url": ""}))
    assert response.status_code == 201, response.content
    (answer,) = response.json()
    ticket = Ticket.objects.get()
    assert answer["service_request_id"] == ticket.display_code
    assert ticket.channel == "open311" and ticket.api_client == owner
    assert ticket.contact_name == "Nguyễn Văn An" and ticket.unit == world.ward_a
    assert ticket.consent_at is not None


@pytest.mark.parametrize(
    "change, status",
    [
        ({"api_key": ""}, 403),
        ({"api_key": "hnk_bad_key"}, 403),
        ({"service_code": "khong-co"}, 400),
        ({"address_id": "", "lat": "", "long": ""}, 400),
        ({"address_id": "99999"}, 400),
        ({"attribute[consent]": ""}, 400),
        ({"lat": "91"}, 400),
        ({"description": ""}, 400),
    ],
)
def test_it_refuses_bad_requests_in_the_spec_error_format(world, client, make_key, change, status):
    _, key = make_key()
    data = post_data(world, key)
    data.update(change)
    response = client.post(f"{BASE}/requests.xml", data)
    assert response.status_code == status
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == str(status)
    assert root.findtext("error/description")
    assert not Ticket.objects.exists()


def test_a_key_without_the_file_scope_may_not_post(world, client, make_key):
    _, key = make_key(scopes=["read_public"])
    assert client.post(f"{BASE}/requests.json", post_data(world, key)).status_code == 403


def test_requests_map_status_notes_agency_and_expected_time(world, client, routed):
    ticket = workflow.ticket_acknowledge(routed(), actor=world.officer_a)
    workflow.ticket_answer(ticket, actor=world.officer_a, message="Đã cử tổ vệ sinh.")
    (row,) = client.get(f"{BASE}/requests/{ticket.display_code}.json").json()
    assert row["service_request_id"] == ticket.display_code
    assert row["status"] == "open" and row["status_notes"] == "Đã cử tổ vệ sinh."
    assert row["agency_responsible"] == world.office_a.name
    assert row["expected_datetime"] is not None and row["address_id"] == world.ward_a.code
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã dọn sạch.")
    root = ET.fromstring(client.get(f"{BASE}/requests/{ticket.code}.xml").content)
    assert root.tag == "service_requests"
    assert root.findtext("request/status") == "closed"
    assert root.findtext("request/status_notes") == "Đã dọn sạch."
    assert root.findtext("request/expected_datetime") == ""


def test_get_requests_has_every_filter_of_the_spec(world, client, routed, submit):
    open_one = routed()
    closed = routed(category=world.water_cat, description="Mất nước", address="Phố Huế")
    workflow.ticket_resolve(closed, actor=world.admin, message="Xong")
    private, _ = submit(category=world.complaints, kind="complaint")

    def ids(**params):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids() == {open_one.display_code, closed.display_code}
    assert ids(status="open") == {open_one.display_code}
    assert ids(status="closed") == {closed.display_code}
    assert ids(service_code="cap-nuoc") == {closed.display_code}
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == set()
    both = f"{open_one.display_code},{private.display_code}"
    assert ids(service_request_id=both, status="closed") == {open_one.display_code}
    assert client.get(f"{BASE}/requests.json", {"start_date": "hôm qua"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"status": "lost"}).status_code == 400


def test_jurisdiction_id_is_the_province_code(world, client):
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "01"}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "79"})
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_tokens_resolve_to_the_request(world, client, routed):
    ticket = routed()
    assert client.get(f"{BASE}/tokens/{ticket.display_code}.json").json() == [
        {"service_request_id": ticket.display_code, "token": ticket.display_code}
    ]
    assert client.get(f"{BASE}/tokens/ZZZZZZZZ.json").status_code == 404


def test_an_unknown_format_or_path_is_an_open311_error(db, client):
    assert client.get(f"{BASE}/services.csv").status_code == 404
    response = client.get(f"{BASE}/nothing.xml")
    assert response.status_code == 404
    assert ET.fromstring(response.content).tag == "errors"


def test_the_georeport_client_library_reads_our_endpoints(world, live_server, routed, make_key):
    """georeport (PyPI), unchanged, in both of its formats over real HTTP."""
    from georeport import GeoReport

    world.waste.extra_fields = [{"code": "volume", "description": "Khối lượng"}]
    world.waste.save()
    ticket = routed()
    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="01", output_format=fmt)
        services = client.get_service_list()
        assert "rac-thai" in [s["service_code"] for s in services]
        definition = client.get_service_definition("rac-thai")
        assert definition["service_code"] == "rac-thai"
        one = client.get_service_request(ticket.display_code)
        if fmt == "xml":
            assert one["service_request_id"] == ticket.display_code
        else:
            assert one["service_request_id"] == ticket.display_code
        many = client.get_service_requests(status="open", service_code="rac-thai")
        rows = many if isinstance(many, list) else [many]
        assert ticket.display_code in [r["service_request_id"] for r in rows]


def test_a_third_party_post_in_the_spec_form_encoding(world, live_server, make_key):
    """What Open311 clients send: a form-encoded POST with attribute[...]."""
    import requests

    _, key = make_key()
    response = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data=post_data(world, key, **{"attribute[ward]": world.ward_b.code, "address_id": ""}),
        timeout=30,
    )
    assert response.status_code == 201
    assert Ticket.objects.get().unit == world.ward_b
