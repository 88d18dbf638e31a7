"""Designs belong to learners instead of session keys.

Each session that owned designs is read once: its learner (created if the session had none, and
written back into the session) becomes the designs' owner. Designs whose session has expired
keep no owner: anyone who edits them gets a copy.
"""

import django.db.models.deletion
from django.db import migrations, models

SESSION_KEY = "lessons_learner_id"


def owners_to_learners(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    Design = apps.get_model("builder", "Design")
    Learner = apps.get_model("lessons", "Learner")
    keys = Design.objects.exclude(owner_session="").values_list("owner_session", flat=True)
    for session_key in set(keys):
        store = SessionStore(session_key=session_key)
        if not store.exists(session_key):
            continue
        learner_id = store.get(SESSION_KEY)
        if learner_id is None or not Learner.objects.filter(pk=learner_id).exists():
            learner_id = Learner.objects.create().pk
            store[SESSION_KEY] = learner_id
            store.save()
        Design.objects.filter(owner_session=session_key).update(learner_id=learner_id)


class Migration(migrations.Migration):
    dependencies = [
        ("builder", "0001_initial"),
        ("lessons", "0002_learner_key"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="design",
            name="learner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="designs",
                to="lessons.learner",
            ),
        ),
        migrations.RunPython(owners_to_learners, migrations.RunPython.noop),
        migrations.RemoveField(model_name="design", name="owner_session"),
    ]
