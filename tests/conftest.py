import re
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


def base_in(html: str) -> str:
    """The design's version a builder page drew (posted back with each edit as ``_base``)."""
    return re.search(r'name="_base" id="design-base" value="([0-9]+)"', html)[1]


def builder_page_base(client, slug: str) -> str:
    """``base_in`` the builder page of the design ``slug``, opened now."""
    from django.urls import reverse

    return base_in(client.get(reverse("builder:design", args=[slug])).content.decode())
