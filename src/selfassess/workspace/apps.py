from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The top floor: pages that show several domains at once. It may import every other
    app; no app imports it."""

    name = "selfassess.workspace"
    label = "workspace"
    verbose_name = "Workspace"
