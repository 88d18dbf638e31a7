"""Lesson code blocks scroll sideways on a phone: the keyboard must be able to reach them."""

import pytest

from lessons.markdown import to_html


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("```\nkubectl get pods -o wide\nNAME  IP\n```\n", "Code: kubectl get pods -o wide"),
        ("```yaml\n\napiVersion: v1\n```\n", "Code: apiVersion: v1"),
        ('    echo "<b>"\n', "Code: echo &quot;&lt;b&gt;&quot;"),
        ("```\n" + "x" * 70 + "\n```\n", "Code: " + "x" * 60 + "…"),
        ("```\n\n```\n", "Code"),
    ],
)
def test_a_code_block_takes_the_focus_and_is_named_by_its_first_line(text, label):
    html = to_html(text)
    assert html.startswith(f'<pre tabindex="0" role="region" aria-label="{label}"'), html
    assert html.count("<pre") == 1
