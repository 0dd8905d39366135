from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "selfassess.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
