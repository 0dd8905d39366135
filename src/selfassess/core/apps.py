from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "selfassess.core"
    label = "core"
    verbose_name = "Core"
