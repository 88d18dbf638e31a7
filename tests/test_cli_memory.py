"""``podstudio analyze`` holds little per file: the memory a run needs may grow with the number
of files only by what it must keep of each (the project's rule: never unbounded memory).

Measured with tracemalloc, which counts the bytes Python allocates, the same on every run:
no timing, nothing that depends on the machine's load. The memory held while the report is
written, for N files and for 2N, tells what each file costs: a report built whole before it is
written (the text report of 10,000 files is 27 MB), or results that keep more of each file,
cost twice the bound below or more.
"""

import gc
import tracemalloc
from pathlib import Path

import pytest

from podstudio import cli
from podstudio.cli import main
from podstudio.clibench import generate

# Enough files for reports larger than the pieces they are written in (64 KiB); the run stays in
# this process (``one_process``), where tracemalloc sees every allocation.
FILES = 100
# Bytes held per file while the report is written (the generated workloads have 2-4 containers
# each): about 1,200 now. Results that each hold their own copy of every message held about
# 2,270; reports built whole before being written, 4,100 (github) to 11,400 (sarif).
MAX_BYTES_PER_FILE = {"text": 1800, "json": 1800, "sarif": 1800, "github": 1800}


class _Discard:
    """A stdout that keeps nothing, and notes the most memory held when the report is written:
    all the results, and what is made of them to write (not the checking's passing needs)."""

    def __init__(self) -> None:
        self.held = 0

    def write(self, text: str) -> int:
        gc.collect()  # what is held, not garbage that waits for the collector's next turn
        self.held = max(self.held, tracemalloc.get_traced_memory()[0])
        return len(text)


def _held(folder: Path, output: str) -> int:
    """The most memory held while one run over ``folder`` writes its report."""
    stdout = _Discard()
    cli._shared.clear()  # its values are counted too, as a run from the command line makes them
    tracemalloc.start()
    try:
        main(["analyze", "--format", output, str(folder)], stdout=stdout)
    finally:
        tracemalloc.stop()
    return stdout.held


@pytest.fixture(autouse=True)
def one_process(monkeypatch):
    monkeypatch.setattr(cli, "MAX_WORKERS", 1)


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    few, more = tmp_path_factory.mktemp("few"), tmp_path_factory.mktemp("more")
    generate(few, FILES)
    generate(more, FILES * 2)
    return few, more


@pytest.mark.parametrize("output", sorted(MAX_BYTES_PER_FILE))
def test_memory_per_file_is_bounded(folders, output):
    few, more = folders
    for folder in folders:  # imports, caches and prepared schemas: made once, not per file
        main(["analyze", "--format", output, str(folder)], stdout=_Discard())
    per_file = (_held(more, output) - _held(few, output)) / FILES
    assert per_file < MAX_BYTES_PER_FILE[output], f"{per_file:.0f} bytes per file"
