"""``manage.py podstudio_cleanup``: old designs and empty learners go, everything else stays."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from lessons.models import Learner, LessonRead
from podstudio.builder.models import Design

pytestmark = pytest.mark.django_db

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}


def _aged(model, pk, days, field):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - timedelta(days=days)})


def test_it_deletes_old_designs_and_keeps_recent_ones(capsys):
    learner = Learner.objects.create()
    old = Design.objects.create(manifest=POD, learner=learner)
    recent = Design.objects.create(manifest=POD, learner=learner)
    _aged(Design, old.pk, 200, "updated")
    call_command("podstudio_cleanup", "--days", "180")
    assert list(Design.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "deleted 1 design(s)" in capsys.readouterr().out


def test_it_deletes_old_learners_with_nothing_saved_only():
    empty = Learner.objects.create()
    reader = Learner.objects.create()
    LessonRead.objects.create(learner=reader, lesson="qos")
    young = Learner.objects.create()
    for learner in (empty, reader):
        _aged(Learner, learner.pk, 200, "created_at")
    call_command("podstudio_cleanup", "--days", "180")
    assert set(Learner.objects.values_list("pk", flat=True)) == {reader.pk, young.pk}


def test_a_learner_whose_last_design_is_deleted_goes_with_it():
    learner = Learner.objects.create()
    design = Design.objects.create(manifest=POD, learner=learner)
    _aged(Design, design.pk, 200, "updated")
    _aged(Learner, learner.pk, 200, "created_at")
    call_command("podstudio_cleanup", "--days", "180")
    assert not Learner.objects.exists()


def test_days_must_be_positive():
    with pytest.raises(SystemExit):
        call_command("podstudio_cleanup", "--days", "0")


def test_a_classroom_member_with_nothing_saved_stays():
    from django.contrib.auth.models import User

    from classrooms.models import Classroom, Member

    instructor = User.objects.create_user("teacher", password="x-very-long-password-1")
    classroom = Classroom.objects.create(
        title="Pods", code="ABCDEF", ends_at=timezone.now() + timedelta(hours=1)
    )
    classroom.instructors.add(instructor)
    member = Learner.objects.create()
    Member.objects.create(
        classroom=classroom,
        learner=member,
        name="Ada",
        name_key="ada",
        pin_hash="x",
        token_hash="t",
    )
    _aged(Learner, member.pk, 200, "created_at")
    call_command("podstudio_cleanup", "--days", "180")
    assert Learner.objects.filter(pk=member.pk).exists()
