from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "selfassess.plans"
    label = "plans"
    verbose_name = "Forward plans"
