from django.db import migrations, models

# A statement used to have one suggestion; now it may have several, each named by a key
# (frameworks.guidance). A dismissal made before keeps its meaning: it was of the one
# general suggestion a toolkit without guidance gives a statement.
GENERAL_KEY = "general"


def name_earlier_dismissals(apps, schema_editor):
    DismissedSuggestion = apps.get_model("plans", "DismissedSuggestion")
    for row in DismissedSuggestion.objects.select_related("statement").iterator():
        row.title = f"Suggested action for statement {row.statement.ref}"
        row.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0003_statement_guidance"),
        ("plans", "0004_action_owner"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="dismissedsuggestion",
            name="dismissed_suggestion_unique",
        ),
        migrations.AddField(
            model_name="dismissedsuggestion",
            name="key",
            field=models.CharField(default=GENERAL_KEY, max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dismissedsuggestion",
            name="title",
            field=models.CharField(default="Suggested action", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dismissedsuggestion",
            name="reason",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(name_earlier_dismissals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dismissedsuggestion",
            constraint=models.UniqueConstraint(
                fields=("assessment", "statement", "key"), name="dismissed_suggestion_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="dismissedsuggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(("key", ""), _negated=True), name="dismissed_suggestion_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="dismissedsuggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(("title", ""), _negated=True),
                name="dismissed_suggestion_title",
            ),
        ),
    ]
