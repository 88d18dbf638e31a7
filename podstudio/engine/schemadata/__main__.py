"""Writes ``schemadata/1.NN.json`` for every version ``kubernetes_validate`` ships."""

import json
import sys
from pathlib import Path

from podstudio.engine.kinds import KINDS
from podstudio.engine.schemasource import FIELD_CHECKED_KINDS, build_schema_data, source_versions

FOLDER = Path(__file__).resolve().parent


def render(version: str) -> str:
    """The file's text: compact JSON, one definition per line, so a change reads in a diff."""
    definitions = tuple(kind.definition for kind in KINDS.values())
    data = build_schema_data(version, definitions, FIELD_CHECKED_KINDS)
    lines = ["{", f'"$schema": {json.dumps(data["$schema"])},', '"$defs": {']
    items = list(data["$defs"].items())
    for index, (name, definition) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        body = json.dumps(definition, separators=(",", ":"), sort_keys=True)
        lines.append(f"{json.dumps(name)}: {body}{comma}")
    lines.append("},")
    lines.append(f'"known": {json.dumps(data["known"], separators=(",", ":"))},')
    lines.append(f'"fields_only": {json.dumps(data["fields_only"], separators=(",", ":"))}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    written = set()
    for version in source_versions():
        path = FOLDER / f"{version}.json"
        path.write_text(render(version), encoding="utf-8")
        written.add(path.name)
        print(f"wrote {path.relative_to(FOLDER.parent.parent.parent)}")  # noqa: T201
    for stale in FOLDER.glob("1.*.json"):
        if stale.name not in written:
            stale.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
