from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("builder", "0003_design_live_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="design",
            name="source",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="design",
            name="document",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
