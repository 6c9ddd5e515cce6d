"""Fixtures shared by tests/feedback/ beyond the personas of tests/conftest.py."""

from tests.feedback.february import february  # noqa: F401
