"""The layout the README promises: a framework-free engine, and short modules or a reason."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "podstudio" / "engine"
APPS = [ROOT / "podstudio", ROOT / "lessons", ROOT / "classrooms"]
LONG = 800


def engine_modules() -> list[str]:
    names = []
    for path in sorted(ENGINE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_engine_imports_no_django():
    """The CLI and other tools use the engine without Django's start-up or settings."""
    code = (
        "import importlib, sys\n"
        f"for name in {engine_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_long_module_says_why_in_its_docstring():
    too_long = []
    for folder in APPS:
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if text.count("\n") <= LONG:
                continue
            docstring = ast.get_docstring(ast.parse(text)) or ""
            if f"over {LONG} lines" not in docstring:
                too_long.append(str(path.relative_to(ROOT)))
    assert too_long == []
