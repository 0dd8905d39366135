from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "selfassess.feedback"
    label = "feedback"
    verbose_name = "Councillor feedback"
