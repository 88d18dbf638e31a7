from pathlib import Path

import pytest

from podstudio.engine.yamlio import load_manifest

MANIFESTS = Path(__file__).parent / "manifests"
SEED = MANIFESTS / "seed"
# One Pod per file; tests/manifests/formatting holds multi-document files and odd formatting.
POD_FILES = sorted(p for p in MANIFESTS.rglob("*.yaml") if p.parent.name != "formatting")


def seed_manifest(name: str) -> dict:
    """One of the eight example Pods of the seed document, read as the app reads input."""
    return load_manifest((SEED / f"{name}.yaml").read_text())


@pytest.fixture
def seed():
    return seed_manifest
