from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "selfassess.accounts"
    label = "accounts"
    verbose_name = "Accounts"
