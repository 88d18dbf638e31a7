"""Every disagreement between the engine and the API server ever found stays fixed.

Each file in ``tests/regressions/agreement/`` holds a manifest text and the answer kube-apiserver
v1.37.2 gave to it (a server-side dry run, recorded by ``tests/sandbox/record.py``); the engine
must give the same answer on every dimension the differential test compares, except in files
named ``cluster-*``: there the server refused for a cluster object the engine cannot see, and
the engine's note must say so; and in files named ``kubectl-*``: there kubectl refuses the file
(as the engine does) that the API server, sent the text directly, reads. The sandbox suite
(``tests/sandbox/test_agreement_regressions.py``) checks the recorded answers against the live
server.
"""

import pytest

from tests.agreement import (
    compare,
    engine_verdict,
    explained_by_note,
    read_regression,
    refused_by_kubectl,
    regression_files,
)

FILES = regression_files()


def test_there_are_regression_files():
    assert len(FILES) >= 60


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_the_engine_gives_the_recorded_answer_of_the_api_server(path):
    text, server = read_regression(path)
    engine = engine_verdict(text)
    if path.stem.startswith("cluster-"):
        # A cluster object the engine cannot see: its note must name what the server refused.
        assert explained_by_note(engine, server), f"engine: {engine}\nserver: {server}"
        return
    if path.stem.startswith("kubectl-"):
        assert refused_by_kubectl(engine, server), f"engine: {engine}\nserver: {server}"
        return
    outcome = compare(engine, server)
    assert all(outcome.values()), (
        f"disagrees on {[name for name, agrees in outcome.items() if not agrees]}\n"
        f"engine: {engine}\nserver: {server}"
    )
