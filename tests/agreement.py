"""Comparing the engine's answer with the API server's, and the regression files that keep
every disagreement the differential test has found.

A regression file (``tests/regressions/agreement/*.yaml``) is the manifest text exactly as it
was sent, after comment lines that record the API server's answer (``# server: {...}``), taken
from kube-apiserver v1.37.2 by a server-side dry run. ``tests/test_agreement_regressions.py``
checks the engine against the recorded answer on every run; the sandbox suite checks the
recorded answer against the live server.
"""

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import kind_of
from podstudio.engine.validation.warnings import printed_warnings
from podstudio.engine.yamlio import ManifestError, load_manifest

ROOT = Path(__file__).resolve().parents[1]
REGRESSIONS = ROOT / "tests" / "regressions" / "agreement"
FOUND = ROOT / "var" / "agreement" / "found"

DIMENSIONS = (
    ("readable", "reads the YAML"),
    ("accepted", "accept/reject"),
    ("qos", "QoS class"),
    ("level", "Pod Security level"),
    ("controls", "failed controls"),
    ("warnings", "warnings"),
    ("paths", "error paths"),
)


@dataclass(frozen=True)
class Verdict:
    """One side's answer about one manifest text."""

    readable: bool  # False: the text could not be read as a Pod at all
    accepted: bool
    qos: str = ""  # only when accepted
    level: str = ""  # the highest Pod Security level that admits it (only when accepted)
    controls: frozenset[str] = frozenset()  # the failed controls at restricted
    paths: frozenset[str] | None = None  # error fields, when the answer names them
    message: str = ""
    notes: tuple[str, ...] = ()
    # The API server's warnings, as kubectl prints them (only when accepted; None: not asked)
    warnings: frozenset[str] | None = None

    def to_json(self) -> dict:
        return {
            "readable": self.readable,
            "accepted": self.accepted,
            "qos": self.qos,
            "level": self.level,
            "controls": sorted(self.controls),
            "paths": None if self.paths is None else sorted(self.paths),
            "message": self.message[:300],
            **({} if self.warnings is None else {"warnings": sorted(self.warnings)}),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Verdict":
        paths = data.get("paths")
        return cls(
            readable=data["readable"],
            accepted=data["accepted"],
            qos=data.get("qos", ""),
            level=data.get("level", ""),
            controls=frozenset(data.get("controls", ())),
            paths=None if paths is None else frozenset(paths),
            message=data.get("message", ""),
            warnings=None if data.get("warnings") is None else frozenset(data["warnings"]),
        )


# At the restricted level a restricted check stands in for the baseline check it overrides
# (OverrideCheckIDs): restricted volume types reports hostPath volumes there.
_RESTRICTED_NAME = {"HostPath Volumes": "Volume Types"}


def engine_controls(violations) -> frozenset[str]:
    """The engine's violations as ``level:control``, the way Pod Security Admission reports
    them in a namespace of each level: a baseline failure fails restricted too."""
    names = set()
    for violation in violations:
        if violation.level == "baseline":
            names.add(f"baseline:{violation.control}")
        control = _RESTRICTED_NAME.get(violation.control, violation.control)
        names.add(f"restricted:{control}")
    return frozenset(names)


def engine_verdict(text: str) -> Verdict:
    """The engine's answer about the same text."""
    try:
        manifest = load_manifest(text)
    except ManifestError as exc:
        return Verdict(False, False, message=str(exc))
    report = analyze(manifest)
    notes = tuple(getattr(report, "notes", ()))
    if report.errors:
        return Verdict(
            True,
            False,
            paths=frozenset(error.path for error in report.errors),
            message="; ".join(f"{error.path}: {error.message}" for error in report.errors),
            notes=notes,
        )
    kind = kind_of(manifest)
    return Verdict(
        True,
        True,
        report.qos.qos_class,
        report.pss.level,
        engine_controls(report.pss.violations),
        notes=notes,
        warnings=frozenset(printed_warnings(manifest, kind)) if kind else None,
    )


def compare(engine: Verdict, server: Verdict) -> dict[str, bool]:
    """Per dimension, whether the two answers agree; a dimension that does not apply to this
    manifest (QoS of a refused Pod, error paths the server did not name) is left out."""
    result = {
        "readable": engine.readable == server.readable,
        "accepted": engine.accepted == server.accepted,
    }
    if engine.accepted and server.accepted:
        result["qos"] = engine.qos == server.qos
        result["level"] = engine.level == server.level
        result["controls"] = engine.controls == server.controls
        if engine.warnings is not None and server.warnings is not None:
            result["warnings"] = engine.warnings == server.warnings
    if not engine.accepted and not server.accepted and server.paths is not None:
        result["paths"] = engine.paths == server.paths
    return result


def explained_by_note(engine: Verdict, server: Verdict) -> str | None:
    """The subject of the engine's note (``RuntimeClass``, ``PriorityClass``,
    ``ServiceAccount``) when the engine accepted the Pod saying it cannot know that cluster
    object and the API server refused it for that very object; ``None`` otherwise. Such a Pod
    is counted apart in the report, not as agreement."""
    if not (engine.accepted and server.readable and not server.accepted):
        return None
    message = server.message.lower().replace(" ", "")
    for note in engine.notes:
        subject = note.split(":", 1)[0]
        if subject.lower().replace(" ", "") in message:
            return subject
    return None


# The engine's refusal of a file that kubectl cannot read and the API server, sent the same text
# directly (as the judge sends it), reads: kubectl decodes a JSON file into Go values first, and
# a number past float64's range stops it (``kubectl apply`` answers "unable to decode"), where
# the server's YAML reader takes the number as text.
KUBECTL_ONLY = ("which kubectl cannot read in a JSON file",)


def refused_by_kubectl(engine: Verdict, server: Verdict) -> bool:
    """Whether the engine called the text unreadable for what kubectl alone refuses, and the
    API server read it. Such a text is counted apart in the report, not as agreement."""
    return (
        not engine.readable
        and server.readable
        and any(marker in engine.message for marker in KUBECTL_ONLY)
    )


# Dimensions that must agree every time; error paths may differ in granularity now and then.
STRICT = ("readable", "accepted", "qos", "level", "controls", "warnings")
PATHS_GOAL = 0.95


@dataclass
class Tally:
    """Agreement per dimension over many manifests, and the texts where they disagreed."""

    tried: int = 0
    compared: Counter = field(default_factory=Counter)
    agreed: Counter = field(default_factory=Counter)
    disagreements: list[tuple[str, Verdict, Verdict, list[str]]] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)
    explained: Counter = field(default_factory=Counter)
    kubectl_refused: int = 0
    accepted: int = 0

    def add(self, text: str, engine: Verdict, server: Verdict) -> dict[str, bool]:
        self.tried += 1
        self.accepted += server.accepted
        for note in engine.notes:
            self.notes[note.split(":", 1)[0]] += 1
        subject = explained_by_note(engine, server)
        if subject is not None:
            self.explained[subject] += 1
            return {}
        if refused_by_kubectl(engine, server):
            self.kubectl_refused += 1
            return {}
        outcome = compare(engine, server)
        for dimension, agrees in outcome.items():
            self.compared[dimension] += 1
            self.agreed[dimension] += agrees
        wrong = [dimension for dimension, agrees in outcome.items() if not agrees]
        if wrong:
            self.disagreements.append((text, engine, server, wrong))
        return outcome

    def share(self, dimension: str) -> float:
        compared = self.compared[dimension]
        return self.agreed[dimension] / compared if compared else 1.0

    def failures(self) -> list[str]:
        """What keeps this run from the goal, one line each."""
        problems = [
            f"{label}: {self.compared[name] - self.agreed[name]} of {self.compared[name]} differ"
            for name, label in DIMENSIONS
            if name in STRICT and self.agreed[name] != self.compared[name]
        ]
        if self.share("paths") < PATHS_GOAL:
            problems.append(f"error paths: {self.share('paths'):.1%} agree, goal {PATHS_GOAL:.0%}")
        return problems

    def report(self, title: str) -> str:
        lines = [
            title,
            f"manifests tried: {self.tried} ({self.accepted} accepted by the API server)",
            "",
            f"{'dimension':<22}{'compared':>10}{'agree':>10}{'share':>10}",
        ]
        for name, label in DIMENSIONS:
            lines.append(
                f"{label:<22}{self.compared[name]:>10}{self.agreed[name]:>10}"
                f"{self.share(name):>9.1%} "
            )
        if self.notes:
            lines += ["", "notes (what the engine says it cannot know, per manifest):"]
            lines += [f"  {count:>6}  {note}" for note, count in self.notes.most_common()]
        if self.explained:
            lines += [
                "",
                "not compared: the engine accepted with a note that it cannot know this cluster "
                "object, and the API server refused for it:",
            ]
            lines += [f"  {count:>6}  {name}" for name, count in self.explained.most_common()]
        if self.kubectl_refused:
            lines += [
                "",
                "not compared: the engine refused a file as kubectl does (a number past float64's "
                "range in JSON), and the API server, sent the text directly, read it:",
                f"  {self.kubectl_refused:>6}  kubectl only",
            ]
        if self.disagreements:
            lines += ["", f"disagreements: {len(self.disagreements)} (written to {FOUND})"]
            for text, engine, server, wrong in self.disagreements[:20]:
                lines.append(f"  {digest(text)} {', '.join(wrong)}")
                if wrong == ["paths"]:
                    only_engine = sorted((engine.paths or set()) - (server.paths or set()))
                    only_server = sorted((server.paths or set()) - (engine.paths or set()))
                    lines.append(f"    only the engine: {', '.join(only_engine) or '-'}")
                    lines.append(f"    only the server: {', '.join(only_server) or '-'}")
                    continue
                lines.append(f"    engine: {_short(engine)}")
                lines.append(f"    server: {_short(server)}")
        return "\n".join(lines)


def _short(verdict: Verdict) -> str:
    if not verdict.readable:
        return f"unreadable: {verdict.message[:160]}"
    if not verdict.accepted:
        paths = "-" if verdict.paths is None else ", ".join(sorted(verdict.paths))[:200]
        return f"refused at {paths}: {verdict.message[:200]}"
    controls = ", ".join(sorted(verdict.controls)) or "none"
    return f"accepted, {verdict.qos}, {verdict.level} (controls: {controls})"


def differential_run(examples: int) -> settings:
    """Hypothesis settings of a differential test: ``examples`` draws, no shrinking and no
    example database (every draw costs round trips to the API server).

    The draws are the same on every run, so CI checks that nothing agreed on before is broken;
    ``make agreement`` sets ``PODSTUDIO_FRESH_DRAWS=1`` to look for new disagreements.
    """
    return settings(
        max_examples=examples,
        derandomize=os.environ.get("PODSTUDIO_FRESH_DRAWS") != "1",
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


HEADER = "# Found by tests/sandbox/test_differential.py; the API server's answer (v1.37.2):\n"


def regression_text(text: str, server: Verdict, why: str) -> str:
    comment = "".join(f"# {line}\n" for line in why.splitlines() if line.strip())
    return f"{HEADER}{comment}# server: {json.dumps(server.to_json(), sort_keys=True)}\n{text}"


def write_found(text: str, server: Verdict, why: str) -> Path:
    FOUND.mkdir(parents=True, exist_ok=True)
    target = FOUND / f"{digest(text)}.yaml"
    target.write_text(regression_text(text, server, why), encoding="utf-8")
    return target


def read_regression(path: Path) -> tuple[str, Verdict]:
    """The manifest text as it was sent and the API server's recorded answer."""
    content = path.read_text(encoding="utf-8")
    server = None
    lines = content.splitlines(keepends=True)
    start = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            start = index
            break
        if line.startswith("# server: "):
            server = Verdict.from_json(json.loads(line[len("# server: ") :]))
    if server is None:
        raise ValueError(f"{path} has no '# server:' line")
    return "".join(lines[start:]), server


def regression_files() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.yaml"))
