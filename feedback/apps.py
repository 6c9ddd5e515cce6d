from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from feedback import deadlines
        from feedback.models import OfficialDay

        # Any write to the official calendar (admin, shell, a fixture) drops
        # the kept calendars; see deadlines.calendar().
        def changed(**kwargs):
            deadlines.calendar_changed()

        post_save.connect(
            changed, sender=OfficialDay, weak=False, dispatch_uid="official-day-saved"
        )
        post_delete.connect(
            changed, sender=OfficialDay, weak=False, dispatch_uid="official-day-deleted"
        )
