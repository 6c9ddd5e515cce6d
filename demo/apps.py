from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a try-out site: `manage.py load_demo` (see docs/demo.md)."""

    name = "demo"
    verbose_name = "Demo"
