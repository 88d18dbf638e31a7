"""The recorded answers of the agreement regression files are still the API server's."""

import pytest

from tests.agreement import compare, read_regression, regression_files

pytestmark = pytest.mark.sandbox


@pytest.mark.parametrize("path", regression_files(), ids=lambda path: path.stem)
def test_the_live_api_server_gives_the_recorded_answer(judge, path):
    text, recorded = read_regression(path)
    live = judge.server_verdict(text)
    outcome = compare(recorded, live)
    assert all(outcome.values()), f"recorded: {recorded}\nlive: {live}"
