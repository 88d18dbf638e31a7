"""Migrations that move data: designs owned by session keys move to those sessions' learners."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("builder", "0001_initial"), ("lessons", "0001_initial")]
AFTER = [("builder", "0002_design_learner"), ("lessons", "0002_learner_key")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_designs_of_a_session_move_to_its_learner():
    apps = _migrate(BEFORE)
    Design = apps.get_model("builder", "Design")
    Learner = apps.get_model("lessons", "Learner")
    learner = Learner.objects.create()
    with_learner = SessionStore()
    with_learner["lessons_learner_id"] = learner.pk
    with_learner.create()
    without_learner = SessionStore()
    without_learner["other"] = 1
    without_learner.create()
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
    Design.objects.create(slug="aaaa", manifest=pod, owner_session=with_learner.session_key)
    Design.objects.create(slug="bbbb", manifest=pod, owner_session=without_learner.session_key)
    Design.objects.create(slug="cccc", manifest=pod, owner_session="expired-session-key")
    Design.objects.create(slug="dddd", manifest=pod, owner_session="")
    try:
        apps = _migrate(AFTER)
        Design = apps.get_model("builder", "Design")
        owners = dict(Design.objects.values_list("slug", "learner_id"))
        assert owners["aaaa"] == learner.pk
        made = SessionStore(session_key=without_learner.session_key)["lessons_learner_id"]
        assert owners["bbbb"] == made != learner.pk
        assert owners["cccc"] is None
        assert owners["dddd"] is None
        keys = apps.get_model("lessons", "Learner").objects.values_list("key", flat=True)
        assert all(len(key) == 32 for key in keys) and len(set(keys)) == len(keys)
    finally:
        _migrate(executor_leaves())


def executor_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
