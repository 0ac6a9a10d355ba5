from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks and the load test (`manage.py bench`, `manage.py loadtest`): no models,
    no pages; installed only for its management commands."""

    name = "bench"
    verbose_name = "Benchmarks"
