"""The accessibility fixture itself: it must fail on a page with a known
critical violation, or a green run of the page tests would prove nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_it_fails_on_an_unlabelled_input_and_names_it(phone, axe):
    phone.set_content(
        '<!doctype html><html lang="vi"><head><title>x</title></head>'
        '<body><main><h1>x</h1><input type="text" name="q"></main></body></html>'
    )
    with pytest.raises(AssertionError) as failed:
        axe(phone)
    assert "label" in str(failed.value)
    assert "critical" in str(failed.value)


def test_it_passes_a_labelled_page_and_returns_the_result(phone, axe):
    phone.set_content(
        '<!doctype html><html lang="vi"><head><title>x</title></head>'
        '<body><main><h1>x</h1><label for="q">Mã tra cứu</label>'
        '<input type="text" id="q" name="q"></main></body></html>'
    )
    result = axe(phone)
    assert result["testEngine"]["name"] == "axe-core"
