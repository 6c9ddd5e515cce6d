"""The OpenAPI schema is generated from the code; a view it cannot describe
is a warning that `manage.py check --deploy` (and CI) treats as a failure."""

import yaml
from django.core.management import call_command

from feedback import workflow


def generate(tmp_path) -> dict:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(out.read_text())


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_it_generates_a_valid_schema_without_warnings(tmp_path, db):
    schema = generate(tmp_path)
    operation = schema["paths"]["/api/v1/tickets/"]["post"]
    assert {"201", "200"} <= set(operation["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])


def test_every_operation_has_an_example_and_the_error_answers(tmp_path, db):
    for path, method, operation in operations(generate(tmp_path)):
        bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
        examples = [
            media.get("examples")
            for body in bodies
            for media in body.get("content", {}).values()
            if media.get("examples")
        ]
        assert examples, f"{method.upper()} {path} has no example"
        for status in ("400", "401", "403", "404", "409", "429"):
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)


def test_every_staff_action_is_an_operation(tmp_path, db):
    paths = generate(tmp_path)["paths"]
    for name in workflow.STAFF_ACTIONS:
        assert "post" in paths[f"/api/v1/staff/tickets/{{code}}/{name}/"]
