"""Quiz answers kept before first attempts were recorded: the one known answer becomes the first."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("lessons", "0002_learner_key")]
AFTER = [("lessons", "0003_quiz_first_attempt")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_latest_answer_becomes_the_first_attempt():
    apps = _migrate(BEFORE)
    Learner = apps.get_model("lessons", "Learner")
    QuizAnswer = apps.get_model("lessons", "QuizAnswer")
    learner = Learner.objects.create(key="k" * 32)
    QuizAnswer.objects.create(
        learner=learner, lesson="qos", question="q1", choice="b", correct=True
    )
    QuizAnswer.objects.create(
        learner=learner, lesson="qos", question="q2", choice="a", correct=False
    )
    try:
        apps = _migrate(AFTER)
        answers = {a.question: a for a in apps.get_model("lessons", "QuizAnswer").objects.all()}
        assert (answers["q1"].first_choice, answers["q1"].first_correct) == ("b", True)
        assert (answers["q2"].first_choice, answers["q2"].first_correct) == ("a", False)
        assert answers["q1"].attempts == 1
        assert answers["q1"].first_answered_at == answers["q1"].answered_at
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
