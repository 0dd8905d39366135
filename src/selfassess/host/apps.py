from django.apps import AppConfig


class HostConfig(AppConfig):
    name = "selfassess.host"
    label = "host"
    verbose_name = "Host console"
