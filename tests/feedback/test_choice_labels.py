"""models.ChoiceLabels: get_FOO_display() as Django's, in the active
language, without rebuilding every choice's label on each call."""

from django.utils import translation

from feedback.models import Ticket, TicketEvent


def test_the_label_follows_the_active_language():
    ticket = Ticket(status=Ticket.Status.RESOLVED, channel=Ticket.Channel.HOTLINE)
    with translation.override("vi"):
        vi = ticket.get_status_display()
        assert vi == str(Ticket.Status.RESOLVED.label)
    with translation.override("en"):
        en = ticket.get_status_display()
        assert en == str(Ticket.Status.RESOLVED.label)
    assert vi != en
    assert isinstance(vi, str) and isinstance(en, str)
    with translation.override("en"):
        assert ticket.get_channel_display() == str(Ticket.Channel.HOTLINE.label)


def test_a_value_outside_the_choices_shows_as_itself():
    assert Ticket(status="archived-in-2019").get_status_display() == "archived-in-2019"
    assert Ticket(kind="").get_kind_display() == ""


def test_every_choice_field_answers_like_djangos_own():
    """The label map is built once per field; each value of every choice
    field of both models gives the label Django's own method gives."""
    from django.db.models import Model

    for model in (Ticket, TicketEvent):
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for value, _label in field.flatchoices:
                obj = model(**{field.attname: value})
                with translation.override("en"):
                    ours = getattr(obj, f"get_{field.name}_display")()
                    djangos = Model._get_FIELD_display(obj, field)
                assert ours == djangos, (model.__name__, field.name, value)
