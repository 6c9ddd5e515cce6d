"""docs/partners.md: its webhook verification example runs, and accepts
exactly what the site signs."""

from __future__ import annotations

import re
import time
from pathlib import Path

from django.conf import settings

from api import webhooks

GUIDE = Path(settings.BASE_DIR) / "docs" / "partners.md"


def example_verify():
    text = GUIDE.read_text(encoding="utf-8")
    code = re.search(r"<!-- verify-example -->\n```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # noqa: S102 - our own docs
    return namespace["verify"]


def test_the_guides_example_verifies_a_real_signature():
    verify = example_verify()
    body = webhooks.body_bytes({"event": {"kind": "resolved"}, "ticket": {"code": "K7QM-4TXA"}})
    now = int(time.time())
    header = webhooks.signature("s3cret", now, body)
    assert verify("s3cret", header, body)
    assert not verify("another", header, body)
    assert not verify("s3cret", header, body.replace(b"resolved", b"rejected"))
    old = webhooks.signature("s3cret", now - 3600, body)
    assert not verify("s3cret", old, body)
    assert not verify("s3cret", "garbage", body)


def test_the_guide_lists_every_scope_and_error_status():
    from api.models import ApiClient
    from api.schema import ERROR_STATUSES

    text = GUIDE.read_text(encoding="utf-8")
    for scope in ApiClient.Scope.values:
        assert f"| `{scope}` |" in text
    for status in ERROR_STATUSES:
        assert f"| {status} |" in text
