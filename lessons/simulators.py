"""Glue between the lesson pages and the pure simulators: read query parameters, run, lay out SVG.

The simulators themselves live in ``lessons.probesim`` and ``lessons.lifecycle``;
this module only turns form input into their arguments and their results into numbers a
template can draw (no inline styles: every colour comes from a class in lessons.css).
"""

from dataclasses import dataclass

from django.http import QueryDict

from lessons import lifecycle, probesim
from lessons.probesim import AppBehaviour, ProbeSpec

# --- probe timeline ------------------------------------------------------------------------

PROBE_FIELDS = (
    ("initial_delay", "initialDelaySeconds", 0, 300),
    ("period", "periodSeconds", 1, 120),
    ("timeout", "timeoutSeconds", 1, 60),
    ("success_threshold", "successThreshold", 1, 10),
    ("failure_threshold", "failureThreshold", 1, 60),
)


@dataclass(frozen=True)
class Preset:
    title: str
    explain: str
    probes: dict[str, ProbeSpec]
    app: AppBehaviour
    duration: int = 180


LIVENESS = ProbeSpec(initial_delay=10, period=10, timeout=1, failure_threshold=3)
READINESS = ProbeSpec(initial_delay=5, period=5, timeout=1, failure_threshold=3)

PRESETS: dict[str, Preset] = {
    "healthy": Preset(
        "Healthy app, ready after 8 s",
        "Readiness fails until the app is up, then traffic flows; liveness never fails.",
        {"liveness": LIVENESS, "readiness": READINESS},
        AppBehaviour(healthy_after=8),
        duration=60,
    ),
    "slow-start": Preset(
        "Slow start (75 s), no startup probe",
        "Liveness gives up at 10 + 2 × 10 = 30 s (its first check at 10 s, its third failure two "
        "periods later), long before the app is up: a restart loop.",
        {"liveness": LIVENESS, "readiness": READINESS},
        AppBehaviour(healthy_after=75),
        duration=300,
    ),
    "slow-start-guarded": Preset(
        "Slow start (75 s) with a startup probe",
        "The startup probe allows the app up to 12 × 10 = 120 s (its twelfth failure comes at "
        "110 s here, its first check being at 0 s); liveness and readiness wait for it.",
        {
            "startup": ProbeSpec(period=10, failure_threshold=12),
            "liveness": LIVENESS,
            "readiness": READINESS,
        },
        AppBehaviour(healthy_after=75),
        duration=150,
    ),
    "hang": Preset(
        "The app hangs at 60 s",
        "Every probe times out; readiness takes the Pod out of traffic first, then liveness "
        "restarts the container.",
        {"liveness": LIVENESS, "readiness": READINESS},
        AppBehaviour(healthy_after=5, hangs_at=60),
        duration=150,
    ),
    "outage": Preset(
        "A dependency is down from 40 s to 70 s",
        "Only readiness fails: no restart, the Pod just leaves and rejoins the Service.",
        {"liveness": LIVENESS, "readiness": ProbeSpec(period=5, success_threshold=2)},
        AppBehaviour(healthy_after=3, unready_between=(40, 70)),
        duration=120,
    ),
    "slow-answers": Preset(
        "Answers take 2 s, timeoutSeconds is 1",
        "A slow answer is a failed answer: the container is restarted although the app works.",
        {"liveness": LIVENESS, "readiness": READINESS},
        AppBehaviour(healthy_after=0, response_time=2.0),
        duration=120,
    ),
}
DEFAULT_PRESET = "hang"


def _int(query: QueryDict, name: str, default: int, low: int, high: int, errors: list) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"{name} must be a whole number")
        return default
    if not low <= value <= high:
        errors.append(f"{name} must be between {low} and {high}")
        return default
    return value


def _optional_int(query: QueryDict, name: str, default: int | None, high: int, errors: list):
    if name in query and query.get(name, "") == "":
        return None  # cleared on purpose
    value = _int(query, name, -1 if default is None else default, 0, high, errors)
    return None if value == -1 else value


def read_probe_form(query: QueryDict) -> tuple[dict, list[str]]:
    """The simulator's inputs from a query string (a preset, maybe changed field by field)."""
    preset_name = query.get("preset", DEFAULT_PRESET)
    if preset_name not in PRESETS:
        preset_name = DEFAULT_PRESET
    preset = PRESETS[preset_name]
    customised = "duration" in query
    errors: list[str] = []
    probes: dict[str, ProbeSpec] = {}
    fields: dict[str, dict] = {}
    for kind in probesim.PROBE_KINDS:
        base = preset.probes.get(kind)
        enabled = query.get(f"{kind}-on") == "on" if customised else base is not None
        base = base or ProbeSpec()
        values = {
            attr: _int(query, f"{kind}-{attr}", getattr(base, attr), low, high, errors)
            for attr, _, low, high in PROBE_FIELDS
        }
        spec = ProbeSpec(**values)
        fields[kind] = {"enabled": enabled, "values": values}
        if enabled:
            problems = probesim.validate_spec(kind, spec)
            errors.extend(problems)
            if not problems:
                probes[kind] = spec
    unready = preset.app.unready_between
    app = AppBehaviour(
        healthy_after=_int(query, "healthy_after", preset.app.healthy_after, 0, 600, errors),
        ready_after=preset.app.ready_after,
        hangs_at=_optional_int(query, "hangs_at", preset.app.hangs_at, 900, errors),
        response_time=_int(query, "response_time", int(preset.app.response_time), 0, 60, errors),
        unready_between=unready if not customised or query.get("keep_outage") == "on" else None,
    )
    duration = _int(query, "duration", preset.duration, 10, probesim.MAX_DURATION, errors)
    form = {
        "preset": preset_name,
        "fields": fields,
        "app": app,
        "duration": duration,
        "outage": unready,
    }
    return {
        "form": form,
        "probes": probes,
        "app": app,
        "duration": duration,
        "changed": is_changed(preset, probes, app, duration),
    }, errors


def is_changed(preset: Preset, probes: dict[str, ProbeSpec], app: AppBehaviour, duration: int):
    """Whether the inputs differ from the story's: its caption explains its own timings only,
    so once they change the caption must not stay (it would contradict the result)."""
    return (probes, app) != (preset.probes, preset.app) or duration != preset.duration


# Layout of the timeline drawing, in SVG user units.
SVG_WIDTH = 760
LEFT = 110
RIGHT = 20
ROW_HEIGHT = 34
ROWS = ("startup", "liveness", "readiness", "container", "ready")
ROW_LABELS = {
    "startup": "Startup probe",
    "liveness": "Liveness probe",
    "readiness": "Readiness probe",
    "container": "Container",
    "ready": "Ready (traffic)",
}


def _tick_step(duration: int) -> int:
    for step in (5, 10, 15, 30, 60, 120):
        if duration / step <= 12:
            return step
    return 120


def layout_timeline(timeline: probesim.Timeline, kinds: list[str]) -> dict:
    """Rows, markers, bars and ticks for the SVG, from a simulated timeline."""
    rows = [row for row in ROWS if row in kinds or row in ("container", "ready")]
    plot = SVG_WIDTH - LEFT - RIGHT
    scale = plot / timeline.duration

    def x(second: float) -> float:
        return round(LEFT + second * scale, 1)

    y = {row: 30 + i * ROW_HEIGHT for i, row in enumerate(rows)}
    markers = [
        {
            "x": x(a.time),
            "y": y[a.probe],
            "result": a.result,
            "title": f"{a.time} s: {a.probe} {a.result}" + (f", {a.effect}" if a.effect else ""),
            "effect": a.effect,
        }
        for a in timeline.attempts
    ]
    bars = [
        {"x": x(i.start), "y": y["container"] - 7, "width": max(x(i.end) - x(i.start), 1)}
        for i in timeline.runs
    ]
    ready = [
        {"x": x(i.start), "y": y["ready"] - 7, "width": max(x(i.end) - x(i.start), 1)}
        for i in timeline.ready
    ]
    restarts = [
        {"x": x(r.time), "top": y["container"] - 12, "bottom": y["container"] + 12}
        for r in timeline.restarts
    ]
    step = _tick_step(timeline.duration)
    axis_y = y[rows[-1]] + 24
    ticks = [{"x": x(s), "label": s} for s in range(0, timeline.duration + 1, step)]
    return {
        "width": SVG_WIDTH,
        "height": axis_y + 28,
        "left": LEFT,
        "right": SVG_WIDTH - RIGHT,
        "axis_y": axis_y,
        "rows": [{"name": r, "label": ROW_LABELS[r], "y": y[r]} for r in rows],
        "markers": markers,
        "bars": bars,
        "ready": ready,
        "restarts": restarts,
        "ticks": ticks,
    }


def _summary(timeline: probesim.Timeline) -> list[str]:
    lines = []
    first_ready = timeline.ready[0].start if timeline.ready else None
    if first_ready is None:
        lines.append(f"The Pod never became Ready in {timeline.duration} s: it got no traffic.")
    else:
        lines.append(f"Traffic first reached the Pod at {first_ready} s.")
    if timeline.restarts:
        times = ", ".join(f"{r.time} s ({r.probe})" for r in timeline.restarts)
        count = len(timeline.restarts)
        times_word = "time" if count == 1 else "times"
        lines.append(f"The container was restarted {count} {times_word}: at {times}.")
    else:
        lines.append("The container was never restarted.")
    return lines


def probe_simulation(query: QueryDict) -> dict:
    inputs, errors = read_probe_form(query)
    context = {"form": inputs["form"], "errors": errors, "presets": PRESETS}
    if errors:
        return context
    timeline = probesim.simulate(inputs["probes"], inputs["app"], inputs["duration"])
    context.update(
        timeline=timeline,
        svg=layout_timeline(timeline, list(inputs["probes"])),
        summary=_summary(timeline),
        preset_info=PRESETS[inputs["form"]["preset"]],
        changed=inputs["changed"],
    )
    return context


# --- lifecycle stepper ---------------------------------------------------------------------

# Where each phase sits in the diagram (x, y of the box's top-left corner).
PHASE_BOXES = {
    "Pending": (20, 60),
    "Running": (200, 60),
    "Succeeded": (380, 10),
    "Failed": (380, 110),
}
BOX_WIDTH, BOX_HEIGHT = 130, 44
PHASE_ARROWS = (
    ("Pending", "Running", "containers started"),
    ("Running", "Succeeded", "all exited 0, no restart"),
    ("Running", "Failed", "one failed, no restart"),
)


def lifecycle_stepper(query: QueryDict) -> dict:
    story_name = query.get("story", "crash-loop")
    if story_name not in lifecycle.STORIES:
        story_name = "crash-loop"
    story = lifecycle.STORIES[story_name]
    policy = query.get("policy", story.restart_policy)
    if policy not in lifecycle.RESTART_POLICIES:
        policy = story.restart_policy
    played = lifecycle.replay(list(story.events), policy)
    last = len(played.steps) - 1
    try:
        current = min(max(int(query.get("step", 0)), 0), last)
    except ValueError:
        current = last
    state = played.steps[current].state
    visited = {step.state.phase for step in played.steps[: current + 1]}
    boxes = [
        {
            "phase": phase,
            "x": bx,
            "y": by,
            "cx": bx + BOX_WIDTH / 2,
            "cy": by + BOX_HEIGHT / 2 + 5,
            "current": phase == state.phase,
            "visited": phase in visited,
        }
        for phase, (bx, by) in PHASE_BOXES.items()
    ]
    arrows = []
    for source, target, label in PHASE_ARROWS:
        sx, sy = PHASE_BOXES[source]
        tx, ty = PHASE_BOXES[target]
        start = (sx + BOX_WIDTH, sy + BOX_HEIGHT / 2)
        end = (tx, ty + BOX_HEIGHT / 2)
        arrows.append({"x1": start[0], "y1": start[1], "x2": end[0], "y2": end[1], "label": label})
    return {
        "stories": lifecycle.STORIES,
        "story_name": story_name,
        "story": story,
        "policy": policy,
        "policies": lifecycle.RESTART_POLICIES,
        "steps": played.steps,
        "stopped": played.stopped,
        "current": current,
        "step": played.steps[current],
        "state": state,
        "previous_step": current - 1 if current > 0 else None,
        "next_step": current + 1 if current < last else None,
        "boxes": boxes,
        "arrows": arrows,
        "box_width": BOX_WIDTH,
        "box_height": BOX_HEIGHT,
    }
