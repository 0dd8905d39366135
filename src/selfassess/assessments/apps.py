from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "selfassess.assessments"
    label = "assessments"
    verbose_name = "Assessments"
