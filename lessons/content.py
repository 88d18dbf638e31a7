"""The course as files: each lesson is a folder, read once per process.

A content folder holds one folder per lesson::

    <slug>/lesson.md        front matter (title, summary, order) and the text in Markdown
    <slug>/quiz.yaml        questions: [{id, prompt, choices: [{text, right, why}]}]
    <slug>/exercise.yaml    slug, title, brief, start, solution, hints, goals (lessons.goals)
    <slug>/drill.yaml       drills: [...] (lessons.drills explains a drill)
    <slug>/examples/*.yaml  Pods, each opening with the facts the lesson states about it:
                            ``# title: …``, ``# qos: …``, ``# pss: …``

The shipped course is ``lessons/content``; ``PODSTUDIO_CONTENT_DIRS`` adds an instructor's folders,
whose lessons come after the shipped ones. Every mistake found is a ``Mistake`` with its file and
line: ``manage.py podstudio_content check`` prints them, and a lesson with one is left out of the
site (the shipped course must have none: its tests run the same check).
"""

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lessons import goals as goal_checks
from lessons import markdown
from podstudio.engine.kinds import kind_of

logger = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).parent / "content"
_SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$")
_FACT = re.compile(r"^#\s*([a-z]+):\s*(.*?)\s*$")
QOS_CLASSES = ("Guaranteed", "Burstable", "BestEffort")
PSS_LEVELS = ("privileged", "baseline", "restricted")


@dataclass(frozen=True)
class Mistake:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


class ContentError(Exception):
    def __init__(self, mistakes: list[Mistake]):
        self.mistakes = mistakes
        super().__init__("\n".join(str(m) for m in mistakes))


# --- YAML with line numbers --------------------------------------------------------------------


class Located:
    """A loaded YAML document and the line (1-based) of every value in it, by path tuple."""

    def __init__(self, data: Any, lines: dict[tuple, int], file: str, offset: int = 0):
        self.data = data
        self.lines = lines
        self.file = file
        self.offset = offset

    def line(self, *path: str | int) -> int:
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]] + self.offset
        return 1 + self.offset

    def mistake(self, message: str, *path: str | int) -> Mistake:
        return Mistake(self.file, self.line(*path), message)


def _node_value(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            result[key] = _node_value(value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_node_value(item, (*path, index), lines) for index, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load_located(text: str, file: str, offset: int = 0) -> Located:
    """One YAML document with its lines; raises ``ContentError`` (with the line) if unreadable."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Mistake(file, line, f"not readable as YAML: {problem}")]) from None
    lines: dict[tuple, int] = {}
    data = _node_value(node, (), lines) if node is not None else None
    return Located(data, lines, file, offset)


# --- the course's parts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    name: str  # file name without .yaml; also the builder's ?example= value
    title: str
    qos: str  # the QoS class the lesson says this Pod gets
    pss: str  # the highest Pod Security Standards level the lesson says it meets
    yaml: str  # the Pod as the learner reads it (the facts left out)
    lesson: str
    file: str = ""


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: tuple[Choice, ...]

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def answer(self) -> Choice:
        return next(c for c in self.choices if c.correct)


@dataclass(frozen=True)
class Goal:
    id: str
    message: str
    path: str  # the field to look at (the builder links to it)
    check: dict


@dataclass(frozen=True)
class Hints:
    nudge: str  # a push in the right direction
    field: str  # which field to look at, in words
    path: str  # the same field as a path (the builder's "Go to field")


@dataclass(frozen=True)
class Exercise:
    slug: str
    lesson: str
    title: str
    brief: str
    goals: tuple[Goal, ...]
    start: dict
    solution: dict
    hints: Hints
    file: str = ""


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    summary: str
    order: int
    body: tuple[dict, ...]  # markdown.render's parts
    examples: tuple[str, ...]
    quiz: tuple[Question, ...]
    exercise: str | None
    drills: tuple[str, ...] = ()
    shipped: bool = True
    folder: str = ""
    example_refs: tuple = ()  # (example, file, line) of each ::: example directive

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.quiz if q.id == question_id), None)


@dataclass
class Course:
    lessons: list[Lesson] = field(default_factory=list)
    examples: dict[str, Example] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    drills: dict[str, Any] = field(default_factory=dict)  # slug -> lessons.drills.Drill
    mistakes: list[Mistake] = field(default_factory=list)


VALID_GOAL = Goal(
    "valid", "The Pod is valid: the API server would accept it.", "spec", {"valid": True}
)


def valid_goal(solution: dict) -> Goal:
    """The goal every exercise ends with: the API server would accept what the learner made."""
    kind = kind_of(solution)
    if kind is None or kind.is_pod:
        return VALID_GOAL
    message = f"The {kind.name} is valid: the API server would accept it."
    # Not met by the Pod the exercise starts from, valid as it may be: it is no CronJob yet.
    check = {"all_of": [{"path": "kind", "equals": kind.name}, {"valid": True}]}
    return Goal("valid", message, "spec", check)


# --- reading one lesson folder ------------------------------------------------------------------


class _Reader:
    """Reads one lesson folder, collecting mistakes instead of stopping at the first."""

    def __init__(self, folder: Path, shipped: bool):
        self.folder = folder
        self.shipped = shipped
        self.mistakes: list[Mistake] = []

    def name(self, path: Path) -> str:
        return str(path)

    def text(self, name: str) -> tuple[Path, str | None]:
        path = self.folder / name
        if not path.is_file():
            return path, None
        try:
            return path, path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.mistakes.append(Mistake(str(path), None, f"cannot be read: {exc}"))
            return path, None

    def yaml_file(self, name: str) -> Located | None:
        path, text = self.text(name)
        if text is None:
            return None
        try:
            return load_located(text, str(path))
        except ContentError as exc:
            self.mistakes.extend(exc.mistakes)
            return None

    def string(self, doc: Located, mapping: Any, key: str, *path, required: bool = True) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            if required:
                self.mistakes.append(doc.mistake(f"{_where(path)}{key} is missing", *path))
            return ""
        if not isinstance(value, str) or not value.strip():
            self.mistakes.append(doc.mistake(f"{_where(path)}{key} must be text", *path, key))
            return ""
        return " ".join(value.split())

    def unknown(self, doc: Located, mapping: dict, allowed: set[str], *path) -> None:
        for key in mapping:
            if key not in allowed:
                self.mistakes.append(
                    doc.mistake(
                        f"{_where(path)}unknown key {key!r} "
                        f"(expected: {', '.join(sorted(allowed))})",
                        *path,
                        key,
                    )
                )

    def pod(self, doc: Located, mapping: dict, key: str, *path, workloads: bool = False) -> dict:
        """A Pod at ``key`` (or, with ``workloads``, a Deployment, CronJob, … as well)."""
        value = mapping.get(key)
        kind = kind_of(value)
        if kind is None or not (kind.is_pod or workloads):
            what = (
                "a Pod or a workload (kind: Pod, Deployment, CronJob, …)"
                if workloads
                else "a Pod (a mapping with kind: Pod)"
            )
            self.mistakes.append(doc.mistake(f"{_where(path)}{key} must be {what}", *path, key))
            return {}
        return value


def _where(path: tuple) -> str:
    if not path:
        return ""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return f"{text}: "


def _front_matter(reader: _Reader, path: Path, text: str) -> tuple[dict, str, int]:
    """The lesson's front matter, its Markdown, and the line the Markdown starts on."""
    if not text.startswith("---\n"):
        reader.mistakes.append(
            Mistake(str(path), 1, "lesson.md must start with front matter (---)")
        )
        return {}, text, 1
    end = text.find("\n---\n", 4)
    if end < 0:
        reader.mistakes.append(Mistake(str(path), 1, "the front matter has no closing ---"))
        return {}, "", 1
    try:
        doc = load_located(text[4 : end + 1], str(path), offset=1)
    except ContentError as exc:
        reader.mistakes.extend(exc.mistakes)
        return {}, "", 1
    meta = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        reader.mistakes.append(Mistake(str(path), 2, "the front matter must be a mapping"))
    reader.unknown(doc, meta, {"title", "summary", "order"})
    meta = {
        "title": reader.string(doc, meta, "title"),
        "summary": reader.string(doc, meta, "summary"),
        "order": meta.get("order", 1000),
    }
    if not isinstance(meta["order"], int) or isinstance(meta["order"], bool):
        reader.mistakes.append(doc.mistake("order must be a whole number", "order"))
        meta["order"] = 1000
    body_start = text[: end + 5].count("\n") + 1
    return meta, text[end + 5 :], body_start


def read_example(reader: _Reader, path: Path, lesson: str) -> Example | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reader.mistakes.append(Mistake(str(path), None, f"cannot be read: {exc}"))
        return None
    facts: dict[str, tuple[str, int]] = {}
    lines = text.splitlines(keepends=True)
    start = 0
    for number, line in enumerate(lines, start=1):
        match = _FACT.match(line)
        if not match:
            break
        facts[match.group(1)] = (match.group(2), number)
        start = number
    body = "".join(lines[start:]).lstrip("\n")
    ok = True
    for fact in ("title", "qos", "pss"):
        if fact not in facts:
            reader.mistakes.append(
                Mistake(str(path), 1, f"the example must open with a '# {fact}: …' line")
            )
            ok = False
    for fact, (_, number) in facts.items():
        if fact not in ("title", "qos", "pss"):
            reader.mistakes.append(Mistake(str(path), number, f"unknown fact {fact!r}"))
    if "qos" in facts and facts["qos"][0] not in QOS_CLASSES:
        reader.mistakes.append(
            Mistake(str(path), facts["qos"][1], f"qos must be one of {', '.join(QOS_CLASSES)}")
        )
        ok = False
    if "pss" in facts and facts["pss"][0] not in PSS_LEVELS:
        reader.mistakes.append(
            Mistake(str(path), facts["pss"][1], f"pss must be one of {', '.join(PSS_LEVELS)}")
        )
        ok = False
    if not ok:
        return None
    return Example(
        name=path.stem,
        title=facts["title"][0],
        qos=facts["qos"][0],
        pss=facts["pss"][0],
        yaml=body,
        lesson=lesson,
        file=str(path),
    )


def read_quiz(reader: _Reader) -> tuple[Question, ...]:
    doc = reader.yaml_file("quiz.yaml")
    if doc is None:
        return ()
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        reader.mistakes.append(doc.mistake("quiz.yaml must hold questions: a list of questions"))
        return ()
    reader.unknown(doc, data, {"questions"})
    questions = []
    seen: set[str] = set()
    for index, item in enumerate(data["questions"]):
        where = ("questions", index)
        if not isinstance(item, dict):
            reader.mistakes.append(doc.mistake("a question must be a mapping", *where))
            continue
        reader.unknown(doc, item, {"id", "prompt", "choices"}, *where)
        question_id = reader.string(doc, item, "id", *where)
        if question_id and not _SLUG.match(question_id):
            reader.mistakes.append(doc.mistake("id must be a slug (a-z, 0-9, -)", *where, "id"))
        if question_id in seen:
            reader.mistakes.append(doc.mistake(f"id {question_id!r} is used twice", *where, "id"))
        seen.add(question_id)
        prompt = reader.string(doc, item, "prompt", *where)
        choices_data = item.get("choices")
        if not isinstance(choices_data, list) or not 2 <= len(choices_data) <= 6:
            reader.mistakes.append(doc.mistake("choices must list 2 to 6 answers", *where))
            continue
        choices = []
        for number, choice in enumerate(choices_data):
            at = (*where, "choices", number)
            if not isinstance(choice, dict):
                reader.mistakes.append(doc.mistake("a choice must be a mapping", *at))
                continue
            reader.unknown(doc, choice, {"text", "right", "why"}, *at)
            right = choice.get("right", False)
            if not isinstance(right, bool):
                reader.mistakes.append(doc.mistake("right must be true or false", *at, "right"))
            choices.append(
                Choice(
                    id="abcdef"[number],
                    text=reader.string(doc, choice, "text", *at),
                    correct=right is True,
                    explanation=reader.string(doc, choice, "why", *at),
                )
            )
        if sum(c.correct for c in choices) != 1:
            reader.mistakes.append(
                doc.mistake("exactly one choice must be marked right: true", *where, "choices")
            )
            continue
        questions.append(Question(question_id, prompt, tuple(choices)))
    return tuple(questions)


def read_goals(reader: _Reader, doc: Located, items: Any, *path) -> tuple[Goal, ...]:
    if not isinstance(items, list) or not items:
        reader.mistakes.append(doc.mistake("goals must be a list of goals", *path))
        return ()
    found = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        at = (*path, index)
        if not isinstance(item, dict):
            reader.mistakes.append(doc.mistake("a goal must be a mapping", *at))
            continue
        reader.unknown(doc, item, {"id", "says", "field", "check"}, *at)
        goal_id = reader.string(doc, item, "id", *at)
        if goal_id == "valid":
            reader.mistakes.append(
                doc.mistake("the goal 'valid' is added to every exercise: leave it out", *at, "id")
            )
        if goal_id in seen:
            reader.mistakes.append(doc.mistake(f"goal id {goal_id!r} is used twice", *at, "id"))
        seen.add(goal_id)
        says = reader.string(doc, item, "says", *at)
        field_path = reader.string(doc, item, "field", *at)
        check = item.get("check")
        for problem in goal_checks.problems(check):
            reader.mistakes.append(doc.mistake(problem, *at, "check"))
        if field_path and goal_checks.parse_path(field_path) is None:
            reader.mistakes.append(doc.mistake(f"field {field_path!r} is not a path", *at, "field"))
        found.append(Goal(goal_id, says, field_path, check if isinstance(check, dict) else {}))
    return tuple(found)


def read_hints(reader: _Reader, doc: Located, item: Any, *path) -> Hints:
    if not isinstance(item, dict):
        reader.mistakes.append(doc.mistake("hints must hold nudge, field and path", *path))
        return Hints("", "", "")
    reader.unknown(doc, item, {"nudge", "field", "path"}, *path)
    hints = Hints(
        nudge=reader.string(doc, item, "nudge", *path),
        field=reader.string(doc, item, "field", *path),
        path=reader.string(doc, item, "path", *path),
    )
    if hints.path and goal_checks.parse_path(hints.path) is None:
        reader.mistakes.append(doc.mistake(f"{hints.path!r} is not a path", *path, "path"))
    return hints


def read_exercise(reader: _Reader, lesson: str) -> Exercise | None:
    doc = reader.yaml_file("exercise.yaml")
    if doc is None:
        return None
    data = doc.data
    if not isinstance(data, dict):
        reader.mistakes.append(doc.mistake("exercise.yaml must be a mapping"))
        return None
    reader.unknown(doc, data, {"slug", "title", "brief", "start", "solution", "hints", "goals"})
    slug = reader.string(doc, data, "slug")
    if slug and not _SLUG.match(slug):
        reader.mistakes.append(doc.mistake("slug must be a slug (a-z, 0-9, -)", "slug"))
    before = len(reader.mistakes)
    exercise = Exercise(
        slug=slug,
        lesson=lesson,
        title=reader.string(doc, data, "title"),
        brief=reader.string(doc, data, "brief"),
        start=reader.pod(doc, data, "start", workloads=True),
        solution=(solution := reader.pod(doc, data, "solution", workloads=True)),
        hints=read_hints(reader, doc, data.get("hints"), "hints"),
        goals=(*read_goals(reader, doc, data.get("goals"), "goals"), valid_goal(solution)),
        file=doc.file,
    )
    if len(reader.mistakes) > before:
        return None
    for problem in exercise_problems(exercise):
        reader.mistakes.append(doc.mistake(problem[1], *problem[0]))
    return exercise


def exercise_problems(exercise: Exercise) -> list[tuple[tuple, str]]:
    """An exercise must fail at its start and pass with its solution."""
    found: list[tuple[tuple, str]] = []
    start = [
        goal for goal in exercise.goals if not goal_checks.evaluate(goal.check, exercise.start)
    ]
    if not [goal for goal in start if goal.id != "valid"]:
        found.append((("start",), "the start Pod already meets every goal"))
    for index, goal in enumerate(exercise.goals):
        if not goal_checks.evaluate(goal.check, exercise.solution):
            where = ("goals", index) if goal.id != "valid" else ("solution",)
            found.append((where, f"the solution does not meet goal {goal.id!r}: {goal.message}"))
    return found


_TEMPLATE_TAG = re.compile(r"\{%|\{\{")


def _template_tags(text: str) -> list[int]:
    """The lines (0-based) outside code blocks that hold ``{%`` or ``{{``."""
    found, fenced = [], False
    for number, line in enumerate(text.splitlines()):
        if markdown.FENCE.match(line):
            fenced = not fenced
        elif not fenced and _TEMPLATE_TAG.search(line):
            found.append(number)
    return found


def read_lesson(folder: Path, *, shipped: bool) -> tuple[Lesson | None, dict, dict, dict, list]:
    """One lesson folder: the lesson, its examples, exercises and drills, and the mistakes."""
    from lessons import drills as drill_module

    reader = _Reader(folder, shipped)
    slug = folder.name
    if not _SLUG.match(slug):
        reader.mistakes.append(
            Mistake(str(folder), None, "a lesson folder's name must be a slug (a-z, 0-9, -)")
        )
    path, text = reader.text("lesson.md")
    if text is None:
        reader.mistakes.append(Mistake(str(path), None, "every lesson folder needs a lesson.md"))
        return None, {}, {}, {}, reader.mistakes
    meta, body_text, body_line = _front_matter(reader, path, text)
    examples: dict[str, Example] = {}
    examples_dir = folder / "examples"
    if examples_dir.is_dir():
        for example_path in sorted(examples_dir.glob("*.yaml")):
            example = read_example(reader, example_path, slug)
            if example is not None:
                examples[example.name] = example
                reader.mistakes.extend(example_problems(example))
    body, directives = markdown.render(body_text)
    for number in _template_tags(body_text):
        reader.mistakes.append(
            Mistake(
                str(path),
                body_line + number,
                "template tags are not run in lesson Markdown and would show as text: "
                "link with a path, e.g. [QoS class](/lessons/qos/)",
            )
        )
    shown = []
    for directive in directives:
        line = body_line + directive.line
        if directive.kind == "example":
            # Another lesson's example may be shown too: read_folder checks it exists.
            shown.append((directive.argument, str(path), line))
        elif directive.kind == "simulator":
            if directive.argument not in markdown.SIMULATORS:
                reader.mistakes.append(
                    Mistake(
                        str(path),
                        line,
                        f"unknown simulator {directive.argument!r} "
                        f"(known: {', '.join(markdown.SIMULATORS)})",
                    )
                )
        else:
            reader.mistakes.append(
                Mistake(
                    str(path),
                    line,
                    f"unknown directive ::: {directive.kind} (known: example, simulator)",
                )
            )
    quiz = read_quiz(reader)
    exercise = read_exercise(reader, slug)
    drills = drill_module.read_drills(reader, slug)
    lesson = Lesson(
        slug=slug,
        title=meta.get("title", ""),
        summary=meta.get("summary", ""),
        order=meta.get("order", 1000),
        body=body,
        examples=tuple(dict.fromkeys(name for name, _, _ in shown)),
        example_refs=tuple(shown),
        quiz=quiz,
        exercise=exercise.slug if exercise else None,
        drills=tuple(drill.slug for drill in drills),
        shipped=shipped,
        folder=str(folder),
    )
    return (
        lesson,
        examples,
        {exercise.slug: exercise} if exercise else {},
        {drill.slug: drill for drill in drills},
        reader.mistakes,
    )


def example_problems(example: Example) -> list[Mistake]:
    """An example must be a valid Pod with the QoS class and Pod Security level it states."""
    from podstudio.engine.admission.pss import evaluate_pss
    from podstudio.engine.qos import compute_qos
    from podstudio.engine.validation import validate_pod
    from podstudio.engine.yamlio import ManifestError, load_manifest

    header = example.yaml and 4  # the Pod starts after the three facts
    try:
        manifest = load_manifest(example.yaml)
    except ManifestError as exc:
        return [Mistake(example.file, header, f"the example is not a readable Pod: {exc}")]
    found = []
    errors = validate_pod(manifest)
    for error in errors[:3]:
        found.append(
            Mistake(
                example.file,
                header,
                f"the API server would reject it: {error.path}: {error.message}",
            )
        )
    qos = compute_qos(manifest).qos_class
    if qos != example.qos:
        found.append(Mistake(example.file, 2, f"it says qos: {example.qos}, but the Pod is {qos}"))
    level = evaluate_pss(manifest).level
    if level != example.pss:
        found.append(
            Mistake(example.file, 3, f"it says pss: {example.pss}, but the Pod meets {level}")
        )
    return found


def read_folder(root: Path, *, shipped: bool, available_examples: tuple[str, ...] = ()) -> Course:
    """Every lesson folder under ``root`` (a folder without lesson.md is not a lesson)."""
    course = Course()
    if not root.is_dir():
        course.mistakes.append(Mistake(str(root), None, "no such folder"))
        return course
    folders = [
        p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith((".", "_"))
    ]
    shown: list[tuple[str, str, int, str]] = []
    for folder in folders:
        lesson, examples, exercises, drills, mistakes = read_lesson(folder, shipped=shipped)
        course.mistakes.extend(mistakes)
        if lesson is None or mistakes:
            continue
        shown += [(name, file, line, lesson.slug) for name, file, line in lesson.example_refs]
        course.lessons.append(lesson)
        course.examples.update(examples)
        course.exercises.update(exercises)
        course.drills.update(drills)
    known = set(course.examples) | set(available_examples)
    for name, file, line, slug in shown:
        if name not in known:
            course.mistakes.append(
                Mistake(file, line, f"there is no example {name!r} in any lesson's examples/")
            )
            course.lessons = [lesson for lesson in course.lessons if lesson.slug != slug]
    course.lessons.sort(key=lambda lesson: (lesson.order, lesson.slug))
    return course


def merge(courses: list[Course]) -> Course:
    """The shipped course and instructors' folders as one: a name already taken is a mistake."""
    result = Course()
    for course in courses:
        result.mistakes.extend(course.mistakes)
        for lesson in course.lessons:
            clashes = []
            if any(lesson.slug == other.slug for other in result.lessons):
                clashes.append(f"the lesson {lesson.slug!r}")
            owned = {n: e for n, e in course.examples.items() if e.lesson == lesson.slug}
            clashes += [f"the example {n!r}" for n in owned if n in result.examples]
            if lesson.exercise and lesson.exercise in result.exercises:
                clashes.append(f"the exercise {lesson.exercise!r}")
            clashes += [f"the drill {d!r}" for d in lesson.drills if d in result.drills]
            if clashes:
                result.mistakes.append(
                    Mistake(lesson.folder, None, f"{', '.join(clashes)} exists already")
                )
                continue
            result.lessons.append(lesson)
            result.examples.update(owned)
            if lesson.exercise:
                result.exercises[lesson.exercise] = course.exercises[lesson.exercise]
            result.drills.update({slug: course.drills[slug] for slug in lesson.drills})
    return result


def load_course(extra_dirs: list[str] | tuple[str, ...] = ()) -> Course:
    """The shipped course, then each extra folder's lessons; mistakes in the shipped course raise,
    an instructor's lessons with mistakes are left out (and logged)."""
    shipped = read_folder(SHIPPED_DIR, shipped=True)
    if shipped.mistakes:
        raise ContentError(shipped.mistakes)
    extra = [
        read_folder(Path(folder), shipped=False, available_examples=tuple(shipped.examples))
        for folder in extra_dirs
    ]
    course = merge([shipped, *extra])
    for mistake in course.mistakes:
        logger.warning("content: %s", mistake)
    return course
