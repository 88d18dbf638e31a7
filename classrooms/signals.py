"""A design started during a classroom closes (becomes read-only) when the classroom ends.

The builder knows nothing of classrooms: when it makes a design of an exercise, this receiver
looks for a running classroom of that learner covering that exercise and stamps the design's
``closes_at``. It costs a query per new exercise design, never one per keystroke.
"""

from django.utils import timezone


def close_with_the_classroom(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw or not instance.exercise or instance.learner_id is None:
        return
    from classrooms.models import Classroom

    running = Classroom.objects.filter(
        members__learner_id=instance.learner_id, ends_at__gt=timezone.now()
    ).values_list("items", "ends_at")
    ends = [
        ends_at
        for items, ends_at in running
        if any(
            item.get("kind") == "exercise" and item.get("slug") == instance.exercise
            for item in items
        )
    ]
    if ends:
        instance.closes_at = min(ends)
        sender.objects.filter(pk=instance.pk).update(closes_at=instance.closes_at)
