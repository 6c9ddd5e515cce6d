from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "workers"

    def ready(self) -> None:
        # Register the tasks with the Celery app in every process (web and
        # worker), so send_task and the in-process runner find them by name.
        from workers import inline, tasks  # noqa: F401

        _count_tasks()

        # Embedded mode only (no REDIS_URL): the web process is its own beat.
        if inline.wanted():
            inline.start()


def _count_tasks() -> None:
    """Task outcomes for Prometheus (feedback/metrics.py). A worker's main
    process also serves them, for all its pool processes, when
    FEEDBACK_WORKER_METRICS_PORT is set."""
    from celery import signals
    from django.conf import settings

    from feedback import metrics

    metrics.connect_celery_signals()
    port = settings.FEEDBACK_WORKER_METRICS_PORT
    if port:
        signals.worker_ready.connect(
            lambda **kwargs: metrics.serve_worker_metrics(port),
            weak=False,
            dispatch_uid="feedback.metrics.serve",
        )
