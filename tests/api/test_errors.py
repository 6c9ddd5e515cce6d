"""The API's own error cases: one shape everywhere, never a 500 or an HTML page."""

from __future__ import annotations

import json

from feedback.models import Ticket

URL = "/api/v1/tickets/"


def shape(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_it_answers_a_deeply_nested_json_body_with_400(world, api):
    body = "[" * 1500 + "]" * 1500  # about 3 KB; Python's parser recurses once a level
    response = api.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 400
    assert shape(response)["code"] == "parse_error"
    assert not Ticket.objects.exists()


def test_it_answers_malformed_json_in_the_same_shape(world, api):
    response = api.generic("POST", URL, '{"category": ', content_type="application/json")
    assert response.status_code == 400
    assert shape(response)["code"] == "parse_error"


def test_it_answers_a_31_mb_body_in_the_api_shape(world, api):
    big = json.dumps({"description": "x" * (31 * 1024 * 1024)})
    response = api.generic("POST", URL, big, content_type="application/json")
    assert response.status_code == 413
    assert shape(response)["code"] == "too_large"
    assert not Ticket.objects.exists()


def test_it_answers_a_31_mb_multipart_body_in_the_api_shape(world, client):
    body = (
        b'--B\r\nContent-Disposition: form-data; name="description"\r\n\r\n'
        + b"x" * (31 * 1024 * 1024)
        + b"\r\n--B--\r\n"
    )
    response = client.generic("POST", URL, body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 413
    assert shape(response)["code"] == "too_large"


def test_it_lists_every_field_error_as_data_under_one_sentence(world, api):
    response = api.post(URL, {"latitude": "north", "unit": "nowhere"}, format="json")
    assert response.status_code == 400
    error = shape(response)
    assert {"category", "unit", "description", "latitude"} <= set(error["fields"])
    assert all(isinstance(m, list) and m for m in error["fields"].values())
    assert error["message"].endswith(".") and "[" not in error["message"]


def test_it_answers_an_unknown_api_url_with_a_json_404(db, api):
    response = api.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert shape(response)["code"] == "not_found"


def test_it_answers_an_unsupported_method_and_media_type_in_shape(world, api):
    assert shape(api.delete(URL))["code"] == "method_not_allowed"
    response = api.generic("POST", URL, "a=1", content_type="text/plain")
    assert response.status_code == 415
    assert shape(response)["code"] == "unsupported_media_type"


def test_it_speaks_english_when_asked(world, api):
    response = api.post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "required" in shape(response)["fields"]["category"][0]
