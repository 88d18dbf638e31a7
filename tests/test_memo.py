"""Process caches hold short texts only: a client sending values of hundreds of kilobytes
must not grow a worker's memory by that much per request."""

from podstudio.builder import formfields, highlight
from podstudio.engine import yamlwrite
from podstudio.engine.memo import short_text_cache
from podstudio.sessions import ProcessMemo


def test_a_long_text_is_worked_out_but_not_kept():
    calls = []

    @short_text_cache(16, longest=10)
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    assert length("short") == length("short") == 5
    assert length("x" * 400_000) == length("x" * 400_000) == 400_000
    assert len(calls) == 3  # the short text once, the long one each time
    assert length.cache_info().currsize == 1


def test_the_preview_caches_do_not_keep_a_posted_400_kb_value():
    value = "v" * 400_000
    caches = (highlight._plain_class, yamlwrite._plain_allowed, formfields.pattern_of)
    before = [cache.cache_info().currsize for cache in caches]
    highlight.highlight_yaml(f"metadata:\n  annotations:\n    a: {value}\n")
    yamlwrite.scalar(value)
    formfields.pattern_of(f"metadata.{value}")
    assert [cache.cache_info().currsize for cache in caches] == before


def test_a_large_session_is_not_remembered():
    memo = ProcessMemo(limit=10, longest=100)
    memo.put("small", "data")
    memo.put("large" * 100, "data")
    assert memo.get("small") == "data"
    assert memo.get("large" * 100) is None
