import secrets

from django.db import migrations, models

import lessons.models


def give_each_learner_a_key(apps, schema_editor):
    Learner = apps.get_model("lessons", "Learner")
    for learner in Learner.objects.filter(key__isnull=True).only("id"):
        learner.key = secrets.token_hex(16)
        learner.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="learner", name="key", field=models.CharField(max_length=32, null=True)
        ),
        migrations.RunPython(give_each_learner_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="learner",
            name="key",
            field=models.CharField(
                default=lessons.models.new_learner_key, editable=False, max_length=32, unique=True
            ),
        ),
    ]
