"""Records the API server's answer in agreement regression files.

    PODSTUDIO_SANDBOX_KUBECONFIG=... python -m tests.sandbox.record \\
        tests/regressions/agreement/x.yaml ...

Each file is a manifest text (comment lines first are kept out of it); the recorder sends it to
the sandbox's API server exactly as the differential test does and writes the file back with the
answer in its header. A file found by the differential test (``var/agreement/found/``) already
has one; recording again refreshes it.
"""

import os
import sys
from pathlib import Path


def main(paths: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podstudio.settings")
    import django

    django.setup()
    from django.test import override_settings

    from podstudio.sandbox.client import get_cluster
    from tests.agreement import HEADER, regression_text
    from tests.sandbox.conftest import sandbox_kubeconfig
    from tests.sandbox.judge import Judge

    with override_settings(
        PODSTUDIO_SANDBOX_KUBECONFIG=sandbox_kubeconfig(), PODSTUDIO_SANDBOX_TIMEOUT=10
    ):
        judge = Judge(get_cluster()).setup()
        try:
            for name in paths:
                path = Path(name)
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                why = [line[2:] for line in lines if line.startswith("# ") and line != HEADER]
                why = [line for line in why if not line.startswith("server: ")]
                while lines and lines[0].startswith("#"):
                    lines.pop(0)
                text = "".join(lines)
                server = judge.server_verdict(text)
                path.write_text(regression_text(text, server, "".join(why)), encoding="utf-8")
                print(f"{path}: {'accepted' if server.accepted else 'refused'}")
        finally:
            judge.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
