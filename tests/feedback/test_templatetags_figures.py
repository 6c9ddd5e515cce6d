"""The `tenths` filter shows what floatformat:1 shows, in each language."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from feedback.templatetags.figures import tenths


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 0.0, 7, 12.3, 12.25, 99.95, 100.0, 66.7])
def test_it_shows_what_floatformat_shows(language, value):
    with translation.override(language):
        assert tenths(value) == floatformat(value, 1)


def test_none_is_empty():
    assert tenths(None) == ""
