from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "selfassess.councils"
    label = "councils"
    verbose_name = "Councils"
