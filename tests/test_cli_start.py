"""The command line's quick start (``clistart``, ``engine.patterns``) changes no answer.

``podstudio analyze`` loads PyYAML with its patterns compiled on first use and
``jsonschema_rs`` without ``email.utils``; the test process has imported both as they are. The
same folders must get byte-identical reports either way.
"""

import email.utils
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from podstudio.cli import main
from podstudio.clistart import _parsedate_to_datetime
from podstudio.engine.patterns import compile_lazily

ROOT = Path(__file__).resolve().parent
FOLDERS = [ROOT / "regressions" / "agreement", ROOT / "manifests"]

QUICK_RUN = """
import io, json, sys
from podstudio.cli import main
out = io.StringIO()
code = main(sys.argv[1:], stdout=out)
import yaml
print(json.dumps({
    "code": code,
    "output": out.getvalue(),
    "lazy_yaml": type(yaml.reader.Reader.NON_PRINTABLE).__name__,
    "loaded": sorted(m for m in ("email.utils",) if m in sys.modules),
}))
"""


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_the_quick_start_reports_what_a_plain_import_does(folder, fmt):
    argv = ["analyze", "--format", fmt, str(folder)]
    quick = subprocess.run(
        [sys.executable, "-c", QUICK_RUN, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    started = json.loads(quick.stdout)
    assert started["lazy_yaml"] == "LazyPattern"
    assert started["loaded"] == []
    plain = io.StringIO()
    code = main(argv, stdout=plain)
    assert started["output"] == plain.getvalue()
    assert started["code"] == code


@pytest.mark.parametrize(
    "text",
    [
        "Thu, 12 Nov 2026 07:50:16 +0000",
        "Mon, 1 Jan 2024 00:00:00 +0000",
        "Sat, 29 Feb 2025 00:00:00 +0000",
        "Thu, 12 Nov 2026 07:50:16 +0100",
        "Thu, 12 Nov 2026 07:50:16 GMT",
        "12 Nov 2026 07:50:16 +0000",
        "Thu, 12 Foo 2026 07:50:16 +0000",
        "not a date",
    ],
)
def test_the_build_date_stand_in_reads_dates_as_email_utils_does(text):
    def answer(parse):
        try:
            return parse(text)
        except (TypeError, ValueError) as exc:
            return type(exc), str(exc)

    assert answer(_parsedate_to_datetime) == answer(email.utils.parsedate_to_datetime)


def test_a_lazy_pattern_acts_as_the_compiled_one():
    lazy = compile_lazily(r"(\w+)=(\d+)", re.I)
    eager = re.compile(r"(\w+)=(\d+)", re.I)
    text = "A=1, b=22, c=x"
    assert [m.groups() for m in lazy.finditer(text)] == [m.groups() for m in eager.finditer(text)]
    assert lazy.sub(r"\2", text) == eager.sub(r"\2", text)
    assert lazy.fullmatch("z=9").group(2) == "9"
    assert lazy.search("nothing") is None
    assert (lazy.pattern, lazy.flags, lazy.groups) == (eager.pattern, eager.flags, eager.groups)
    with pytest.raises(re.error):
        compile_lazily("(unclosed").search("x")
