from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "selfassess.reports"
    label = "reports"
    verbose_name = "Reports"
