from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Assessments in and out of the product: the JSON interchange format (with the
    forward plan), and imports of a completed toolkit."""

    name = "selfassess.interchange"
    label = "interchange"
    verbose_name = "Import and export"
