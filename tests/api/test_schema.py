"""The OpenAPI schema is generated from the code; a view it cannot describe
is a warning that `manage.py check --deploy` (and CI) treats as a failure."""

import yaml
from django.core.management import call_command


def test_it_generates_a_valid_schema_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    operation = schema["paths"]["/api/v1/tickets/"]["post"]
    assert {"201", "200"} <= set(operation["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
