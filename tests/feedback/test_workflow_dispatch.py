"""workflow.perform: one table from an action's name and a caller's values
(a form's QueryDict, an API's JSON) to the workflow, for pages and API alike."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from feedback import workflow
from feedback.errors import NotFound, ValidationFailed
from feedback.models import Ticket


def test_it_runs_an_action_from_a_forms_values(world, routed):
    ticket = routed()
    workflow.perform("acknowledge", ticket, actor=world.officer_a, params=QueryDict())
    done = workflow.perform(
        "answer", ticket, actor=world.officer_a, params=QueryDict("message=Đã+cử+người")
    )
    assert done.status == Ticket.Status.IN_PROGRESS
    assert done.events.get(kind="answered").message == "Đã cử người"


def test_it_reads_ids_from_a_json_body_too(world, routed):
    ticket = routed()
    done = workflow.perform(
        "assign", ticket, actor=world.head_a, params={"assignee": world.officer_a.pk}
    )
    assert done.assignee == world.officer_a


def test_it_refuses_an_unknown_action(world, routed):
    with pytest.raises(NotFound):
        workflow.perform("close", routed(), actor=world.officer_a, params={})


def test_it_names_the_field_when_the_merge_target_is_not_visible(world, routed):
    ticket = routed()
    elsewhere = routed(unit=world.ward_b)
    with pytest.raises(ValidationFailed) as raised:
        workflow.perform("merge", ticket, actor=world.officer_a, params={"into": elsewhere.code})
    assert raised.value.field == "into"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ROUTED


def test_it_has_an_entry_for_every_action_of_the_status_table():
    assert set(workflow.STAFF_ACTIONS) == set(workflow.STAFF_ACTION_FROM)
