from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "selfassess.frameworks"
    label = "frameworks"
    verbose_name = "Toolkit frameworks"
