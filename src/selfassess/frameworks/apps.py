from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "selfassess.frameworks"
    label = "frameworks"
    verbose_name = "Toolkit frameworks"

    def ready(self) -> None:
        from django.urls import register_converter

        from .converters import StatementRefConverter

        register_converter(StatementRefConverter, "ref")
