from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "selfassess.background"
    label = "background"
    verbose_name = "Background work"

    def ready(self) -> None:
        # Every app's tasks, in the web processes too: a task is enqueued by name, and a
        # failed one is run again from the staff page by name.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
