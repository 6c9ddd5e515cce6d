from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "workers"

    def ready(self) -> None:
        # Register the tasks with the Celery app in every process (web and
        # worker), so send_task and the in-process runner find them by name.
        from workers import inline, tasks  # noqa: F401

        # Embedded mode only (no REDIS_URL): the web process is its own beat.
        if inline.wanted():
            inline.start()
