from django.db import migrations, models


def backfill(apps, schema_editor):
    """Tickets acknowledged or answered before the columns existed get
    their working minutes from the two timestamps (the same calendar the
    workflow uses from now on)."""
    from feedback.deadlines import working_minutes

    Ticket = apps.get_model("feedback", "Ticket")
    todo = Ticket.objects.filter(
        models.Q(acknowledged_at__isnull=False) | models.Q(first_response_at__isnull=False)
    ).values_list("pk", "received_at", "acknowledged_at", "first_response_at")
    batch = []
    for pk, received, acknowledged, answered in todo.iterator(chunk_size=2000):
        batch.append(
            Ticket(
                pk=pk,
                ack_minutes=working_minutes(received, acknowledged) if acknowledged else None,
                answer_minutes=working_minutes(received, answered) if answered else None,
            )
        )
        if len(batch) >= 2000:
            Ticket.objects.bulk_update(batch, ["ack_minutes", "answer_minutes"])
            batch = []
    if batch:
        Ticket.objects.bulk_update(batch, ["ack_minutes", "answer_minutes"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0006_i9b_event_edited"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="ack_minutes",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="ticket",
            name="answer_minutes",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
