"""The migrations describe the models as they are: a model change without
its migration would work in the tests (which build the tables from the
migrations) only by accident, and fail on a server."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    # Exits with status 1 (SystemExit) when a migration would be written.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
