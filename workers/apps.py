from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "workers"

    def ready(self) -> None:
        # Register the tasks with the Celery app in every process (web and
        # worker), so send_task and the in-process runner find them by name.
        from workers import inline, tasks  # noqa: F401

        _count_tasks()
        _reuse_connections()

        # Embedded mode only (no REDIS_URL): the web process is its own beat.
        if inline.wanted():
            inline.start()


def _reuse_connections() -> None:
    """Around each task, what Django does around each request: close the
    connection only when it is broken or older than CONN_MAX_AGE (Celery's
    own closing is turned off by CELERY_DB_REUSE_MAX). Not for tasks run in
    the caller's process (eager), whose connection belongs to the caller."""
    from celery import signals
    from django.db import close_old_connections

    def around(sender=None, **kwargs) -> None:
        if not getattr(getattr(sender, "request", None), "is_eager", False):
            close_old_connections()

    for signal, name in ((signals.task_prerun, "prerun"), (signals.task_postrun, "postrun")):
        signal.connect(around, weak=False, dispatch_uid=f"workers.reuse-connections.{name}")


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
