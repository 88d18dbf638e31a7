"""Differential test: generated Pods, the engine's answer against the real API server's.

Hypothesis generates Pods across every field the engine knows (``podgen``), valid and broken;
each manifest text goes to the engine and, as a server-side dry run, to kube-apiserver in
namespaces that enforce privileged, baseline and restricted (``judge``). The two must agree on
reading the YAML, accept/reject, the QoS class, the Pod Security level and the failed controls,
and on the error fields in at least 95 % of the Pods both refuse.

``PODSTUDIO_AGREEMENT_EXAMPLES`` sets how many Pods (a bounded number by default, for CI);
``make agreement N=5000`` runs any number and prints the report. Every disagreement is written
to ``var/agreement/found/`` with the server's answer, ready to become a regression file in
``tests/regressions/agreement/``.
"""

import os
from pathlib import Path

import pytest
from hypothesis import given

from tests.agreement import ROOT, Tally, differential_run, write_found
from tests.sandbox.judge import engine_verdict
from tests.sandbox.podgen import manifest_texts

pytestmark = pytest.mark.sandbox

EXAMPLES = int(os.environ.get("PODSTUDIO_AGREEMENT_EXAMPLES", "150"))
REPORT = ROOT / "var" / "agreement" / "report.txt"


def test_engine_agrees_with_the_api_server_on_generated_pods(judge):
    tally = Tally()

    @differential_run(EXAMPLES)
    @given(text=manifest_texts())
    def one_pod(text):
        server = judge.server_verdict(text)
        outcome = tally.add(text, engine_verdict(text), server)
        wrong = [name for name, agrees in outcome.items() if not agrees]
        if wrong:
            write_found(text, server, f"disagreed on: {', '.join(wrong)}")

    one_pod()
    report = tally.report(
        f"agreement: {tally.tried} generated Pods, engine against kube-apiserver v1.37.2 "
        "(server-side dry run)"
    )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    Path(REPORT).write_text(report + "\n", encoding="utf-8")
    print("\n" + report)
    assert not tally.failures(), "\n".join(tally.failures()) + "\n\n" + report
