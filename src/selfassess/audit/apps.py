from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "selfassess.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the sign-in signals)
