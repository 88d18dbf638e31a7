"""Fixtures for tests of the built container image (marker ``image``, run by ``make image-test``).

They run only when selected with ``-m image``: building the image takes minutes, so the normal
suite skips them and says how to run them. They check the image named by ``PODSTUDIO_IMAGE``
(default: what ``make image`` tags) and need buildah and root (mounts and namespaces); without
them they skip and say why, unless ``PODSTUDIO_IMAGE_REQUIRED`` is set (CI sets it): then they fail.
"""

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    if "image" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="builds and runs the container image: run `make image-test`")
    for item in items:
        if "image" in item.keywords:
            item.add_marker(skip)


def image_name() -> str:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    return os.environ.get("PODSTUDIO_IMAGE") or f"localhost/podstudio:{version}"


def buildah(*args: str) -> str:
    done = subprocess.run(["buildah", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"buildah {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def _cannot_run() -> str:
    """Empty when this machine can run the image; otherwise the reason to skip."""
    if not shutil.which("buildah"):
        return "buildah is not installed (apt-get install buildah)"
    if os.geteuid() != 0:
        return "running the image's file system needs root (mounts and namespaces)"
    return ""


@pytest.fixture(scope="session")
def image() -> str:
    reason = _cannot_run()
    if reason and os.environ.get("PODSTUDIO_IMAGE_REQUIRED"):
        pytest.fail(f"PODSTUDIO_IMAGE_REQUIRED is set, but: {reason}")
    if reason:
        pytest.skip(reason)
    name = image_name()
    found = subprocess.run(["buildah", "inspect", "--type", "image", name], capture_output=True)
    if found.returncode != 0:
        pytest.fail(f"no image {name}: build it with `make image`")
    return name


@pytest.fixture(scope="session")
def image_config(image) -> dict:
    return json.loads(buildah("inspect", "--type", "image", image))["OCIv1"]["config"]


@pytest.fixture(scope="session")
def rootfs(image):
    """The image's root file system, mounted; read it, never write it."""
    container = buildah("from", "--pull=never", image)
    try:
        yield Path(buildah("mount", container))
    finally:
        buildah("umount", container)
        buildah("rm", container)
