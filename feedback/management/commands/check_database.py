"""Fail in one line when the database in DATABASE_URL cannot be reached, so
`make run` and deploy scripts stop with a message instead of a traceback."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Connect to the default database and report whether it answers."

    def handle(self, *args, **options):
        params = connection.settings_dict
        if connection.vendor == "sqlite":
            where = str(params["NAME"])
        else:
            where = f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{params['NAME']}"
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            # psycopg puts the useful part (refused, unknown host, no such
            # database, auth failed) on the first line; never the password.
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(
                f"cannot reach the {connection.vendor} database at {where}: {reason} "
                "(check DATABASE_URL)"
            ) from exc
        self.stdout.write(f"Database OK: {connection.vendor} at {where}")
