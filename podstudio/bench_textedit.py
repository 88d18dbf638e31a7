"""What keeping the author's file costs a keystroke, as ratios.

Run ``python -m podstudio.bench_textedit`` (or call ``measure()``).

For a commented Pod imported into the builder, each keystroke renames the Pod (a new manifest,
as when typing) and the preview needs its YAML text and its highlighted HTML. Started in the
builder, that is ``dump_manifest`` + ``highlight_yaml`` of the canonical text; imported, it is
``textedit.rewrite`` of the author's text + ``highlight_yaml`` of that text (given the imported
text as ``base``, whose markup it reuses). Both also run the
same analysis (``analyze``), so the server-side throughput ratio of a keystroke is
``(analyze + canonical) / (analyze + imported)``; HTTP, sessions and the database add the
same to both and only bring it nearer 1. ``measure()`` returns every figure; the ratios
(``edit_vs_dump`` and friends) do not depend on the machine's speed.
"""

import statistics
import sys
import time
from pathlib import Path

from podstudio.builder.highlight import _by_events, _by_lines, highlight_yaml
from podstudio.engine.analyze import analyze
from podstudio.engine.sourcemap import read_source
from podstudio.engine.textedit import rewrite
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import load_manifest

ROOT = Path(__file__).resolve().parent.parent
PODS = {
    "small (my-app-pod, 30 lines)": ROOT / "tests/manifests/seed/my-app-pod.yaml",
    "large (everything, 270 lines, flow maps)": ROOT / "tests/manifests/rich/everything.yaml",
    "commented (web-with-logging)": ROOT / "tests/manifests/seed/web-with-logging.yaml",
    "odd (a directive, an explicit key: parser path, spliced)": ROOT
    / "tests/manifests/formatting/tags-and-odd-scalars.yaml",
    "JSON (one flow mapping: a keystroke remakes one line)": ROOT
    / "tests/manifests/formatting/json-no-final-newline.json",
}


def _per_call(function, inputs: list, rounds: int) -> float:
    """Median seconds per call of ``function`` over ``inputs`` (a first pass warms caches)."""
    for item in inputs[:5]:
        function(item)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in inputs:
            function(item)
        samples.append((time.perf_counter() - start) / len(inputs))
    return statistics.median(samples)


def _keystrokes(manifest: dict, count: int) -> list[dict]:
    """The manifests a person typing a new name produces, one per keystroke."""
    name = manifest["metadata"]["name"]
    return [
        {**manifest, "metadata": {**manifest["metadata"], "name": f"{name}-{index}"}}
        for index in range(count)
    ]


def measure(rounds: int = 9, keystrokes: int = 40) -> dict:
    results = {}
    for label, path in PODS.items():
        text = path.read_text()
        manifest = load_manifest(text)
        typed = _keystrokes(manifest, keystrokes)
        canonical = [dump_manifest(item) for item in typed]
        authored = [rewrite(text, 0, item) for item in typed]
        dump = _per_call(dump_manifest, typed, rounds)
        edit = _per_call(lambda item: rewrite(text, 0, item), typed, rounds)  # noqa: B023
        check = _per_call(analyze, typed[:10], rounds)
        hl_canonical = _per_call(highlight_yaml, canonical, rounds)
        hl_author = _per_call(lambda item: highlight_yaml(item, base=text), authored, rounds)  # noqa: B023
        events = _per_call(_by_events, authored[:10], rounds)
        read = _per_call(read_source, [text + " " * n for n in range(5)], 3)
        load = _per_call(load_manifest, [text + " " * n for n in range(5)], 3)
        builder = check + dump + hl_canonical  # (the preview's other work is the same for both)
        imported = check + edit + hl_author
        results[label] = {
            "lines": text.count("\n"),
            "author file highlighted line by line": _by_lines(text) is not None,
            "edit_vs_dump": edit / dump,
            "highlight_author_vs_canonical": hl_author / hl_canonical,
            "highlight_by_events_vs_canonical": events / hl_canonical,
            "import_read_vs_load": read / load,
            "keystroke_throughput_imported_vs_builder": builder / imported,
            "ms": {
                "analyze": check * 1e3,
                "dump": dump * 1e3,
                "rewrite": edit * 1e3,
                "highlight canonical": hl_canonical * 1e3,
                "highlight author": hl_author * 1e3,
                "highlight by events": events * 1e3,
                "read_source (once per import)": read * 1e3,
                "load_manifest": load * 1e3,
            },
        }
    return results


def main() -> int:
    for label, figures in measure().items():
        print(label)  # noqa: T201
        for key, value in figures.items():
            if key == "ms":
                shown = ", ".join(f"{name} {ms:.3f}" for name, ms in value.items())
                print(f"  ms: {shown}")  # noqa: T201
            else:
                print(f"  {key}: {value:.2f}" if isinstance(value, float) else f"  {key}: {value}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
