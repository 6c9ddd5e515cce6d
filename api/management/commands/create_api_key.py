"""manage.py create_api_key NAME --scope SCOPE... : a partner system's key,
printed once (only its hash is stored)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import clients
from api.models import CLIENT_CHANNELS, ApiClient
from feedback.models import Office


class Command(BaseCommand):
    help = "Create an API key for a partner system and print it once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=ApiClient.Scope.values,
            help="Repeat for several scopes.",
        )
        parser.add_argument("--channel", default="api", choices=[c for c, _ in CLIENT_CHANNELS])
        parser.add_argument("--office", help="Staff scope: the office's code.")
        parser.add_argument("--user", help="Staff scope: the officer's username.")
        parser.add_argument("--rate", default="600/m", help="e.g. 600/m (default)")
        parser.add_argument("--daily-quota", type=int, default=20_000)
        parser.add_argument("--email", default="", help="The partner's contact address.")

    def handle(self, *args, **options):
        client = ApiClient(
            name=options["name"],
            scopes=sorted(set(options["scope"])),
            channel=options["channel"],
            rate_limit=options["rate"],
            daily_quota=options["daily_quota"],
            contact_email=options["email"],
        )
        if options["office"]:
            client.office = Office.objects.filter(code=options["office"]).first()
            if client.office is None:
                raise CommandError(f"no office with code {options['office']!r}")
        if options["user"]:
            client.user = get_user_model().objects.filter(username=options["user"]).first()
            if client.user is None:
                raise CommandError(f"no user {options['user']!r}")
        key = clients.issue_key(client)
        try:
            client.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        client.save()
        self.stderr.write(
            f"API key for {client.name} (scopes: {', '.join(client.scopes)}). "
            "It is shown this once; store it now."
        )
        self.stdout.write(key)
