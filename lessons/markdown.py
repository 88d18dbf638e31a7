"""Lesson text in Markdown (markdown-it-py, CommonMark with tables and definition lists), and the
two directives that place the course's interactive parts between paragraphs::

    ::: example hello-nginx       the example card of examples/hello-nginx.yaml
    ::: simulator probes          the probe timeline (or: lifecycle, the lifecycle stepper)

A directive stands alone on its line, outside code fences. The text is cut at each directive and
every piece rendered on its own; the page puts the cards and simulators between them. Raw HTML is
not rendered (it is shown as text): lesson files stay readable and cannot break the page.
YAML code blocks get the builder's highlighting.
"""

import html
import re
from dataclasses import dataclass

from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin

from podstudio.builder.highlight import highlight_yaml

SIMULATORS = ("probes", "lifecycle")
_DIRECTIVE = re.compile(r"^:::\s+([a-z-]+)(?:\s+(\S+))?\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class Directive:
    kind: str
    argument: str
    line: int  # 0-based line in the Markdown text


def _highlight(code: str, lang: str, attrs: str) -> str:
    if lang in ("yaml", "yml"):
        return f'<pre class="yaml"><code>{highlight_yaml(code)}</code></pre>'
    return ""  # markdown-it escapes it and wraps it in <pre><code> itself


def _scrollable(render_rule):
    """A code block as the keyboard can scroll it: a long line scrolls sideways on a phone, so
    the block takes the focus and is named by its first line, as the builder's YAML is."""

    def rule(self, tokens, idx, options, env) -> str:
        drawn = render_rule(tokens, idx, options, env)
        first = next(
            (line.strip() for line in tokens[idx].content.splitlines() if line.strip()), ""
        )
        label = html.escape(
            f"Code: {first[:60]}{'…' if len(first) > 60 else ''}" if first else "Code"
        )
        return drawn.replace("<pre", f'<pre tabindex="0" role="region" aria-label="{label}"', 1)

    return rule


def _parser() -> MarkdownIt:
    parser = MarkdownIt(
        "commonmark", {"html": False, "highlight": _highlight, "typographer": False}
    )
    parser.enable("table")
    parser.use(deflist_plugin)
    for name in ("fence", "code_block"):
        parser.add_render_rule(name, _scrollable(parser.renderer.rules[name]))
    return parser


_PARSER = _parser()


def to_html(text: str) -> str:
    return _PARSER.render(text)


def split(text: str) -> list[str | Directive]:
    """The text cut at its directives: Markdown pieces and Directives, in order."""
    parts: list[str | Directive] = []
    chunk: list[str] = []
    fence = ""
    for number, line in enumerate(text.splitlines(keepends=True)):
        opening = FENCE.match(line)
        if opening and (not fence or opening.group(1) == fence):
            fence = "" if fence else opening.group(1)
        match = None if fence else _DIRECTIVE.match(line)
        if match:
            parts.append("".join(chunk))
            chunk = []
            parts.append(Directive(match.group(1), match.group(2) or "", number))
        else:
            chunk.append(line)
    parts.append("".join(chunk))
    return [part for part in parts if not isinstance(part, str) or part.strip()]


def render(text: str) -> tuple[tuple[dict, ...], list[Directive]]:
    """The lesson body as parts for the page (``{"html": …}``, ``{"example": name}``,
    ``{"simulator": name}``) and the directives found, for checking."""
    parts: list[dict] = []
    directives = []
    for part in split(text):
        if isinstance(part, Directive):
            directives.append(part)
            parts.append({part.kind: part.argument})
        else:
            parts.append({"html": mark_safe(to_html(part))})  # noqa: S308 (html off: escaped)
    return tuple(parts), directives


def plain(text: str) -> str:
    """Inline text (a brief, a hint) as HTML: Markdown's inline marks, nothing else."""
    return mark_safe(_PARSER.renderInline(text))  # noqa: S308 (html off: escaped)


__all__ = ["Directive", "SIMULATORS", "html", "plain", "render", "split", "to_html"]
