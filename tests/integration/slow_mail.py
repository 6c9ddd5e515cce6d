"""A test-only email backend for the worker (EMAIL_BACKEND): Django's file
backend, except that the first message to STALL_MAIL_TO hangs before it is
written, leaving the file STALL_MAIL_MARKER behind: the moment a test kills
the worker. Later messages (the marker exists) go through. Nothing in
production imports this module."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class StallingFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        marker = Path(os.environ["STALL_MAIL_MARKER"])
        stall_for = os.environ["STALL_MAIL_TO"]
        if not marker.exists() and any(stall_for in m.recipients() for m in email_messages):
            marker.write_text(str(os.getpid()))
            time.sleep(300)
        return super().send_messages(email_messages)
