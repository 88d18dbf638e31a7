"""Tiered hints for an exercise or drill: a nudge, then the field to look at, then the solution
shown as a diff against the learner's own Pod. Each is revealed on request, one after the other,
and recorded per learner and design (the classroom grid and the review schedule read them)."""

import difflib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from lessons.models import HintUse
from podstudio.engine.yamldump import dump_manifest

LEVELS = (1, 2, 3)
NAMES = {1: "a nudge", 2: "where to look", 3: "the solution"}


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same" or "gap"
    text: str


def used_levels(*, learner_id: int | None, design: str) -> int:
    """The highest hint level this learner has revealed on this design (0: none)."""
    if learner_id is None:
        return 0
    levels = HintUse.objects.filter(
        learner_id=learner_id, design=design, hidden_at=None
    ).values_list("level", flat=True)
    return max(levels, default=0)


def reveal(*, learner_id: int, exercise: str, design: str, level: int) -> int:
    """Records hint ``level`` (and any lower one not yet taken: hints come in order); returns the
    highest level now revealed. A level beyond the next one is refused (the next is given)."""
    current = used_levels(learner_id=learner_id, design=design)
    level = min(max(level, 1), current + 1, LEVELS[-1])
    for each in range(current + 1, level + 1):
        try:
            with transaction.atomic():
                HintUse.objects.create(
                    learner_id=learner_id, exercise=exercise, design=design, level=each
                )
        except IntegrityError:
            pass  # the same hint asked for twice at once
    return max(current, level)


def solution_diff(solution: dict, manifest: object, context: int = 2) -> list[DiffLine]:
    """What to change in the learner's Pod to reach the solution, as unified-diff lines of the
    canonical YAML of both (``remove``: in the learner's Pod only; ``add``: in the solution)."""
    mine = dump_manifest(manifest).splitlines() if isinstance(manifest, dict) else []
    theirs = dump_manifest(solution).splitlines()
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(mine, theirs, lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("remove", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines
