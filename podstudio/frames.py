"""Pages rendered once per process, with holes for what differs between requests.

A page that is the same for every visitor but for a few small regions (a lesson and the
learner's own progress in it) is rendered once, from its own template, with each of those
regions replaced by a marker: that is its *frame*. A request then costs a join of the frame's
chunks with the regions for this learner, each of them rendered once per process for each
state it can be in (a quiz question answered with choice B, a lesson read or not), and the
request's CSRF token.

Templates mark a region with ``{% hole "name" %}…{% endhole %}``: outside a frame it renders
its content as usual, inside one it leaves the marker. The region's content is usually a
``{% partial %}``, so the page and the per-state renders share one piece of markup.
"""

import operator
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django import template
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.loader import render_to_string

from podstudio.sessions import ProcessMemo

# Private-use characters: escaping leaves them alone and no template or text here uses them.
_OPEN, _CLOSE = "\ue000", "\ue001"
CSRF_MARK = "\ue002"  # in frames and in the regions rendered once per process
FRAME_FLAG = "_rendering_frame"

register = template.Library()


def marker(name: str) -> str:
    return f"{_OPEN}{name}{_CLOSE}"


class HoleNode(template.Node):
    def __init__(self, name: template.base.FilterExpression, nodelist: template.NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        if context.get(FRAME_FLAG):
            return marker(str(self.name.resolve(context)))
        return self.nodelist.render(context)


@register.tag
def hole(parser: template.base.Parser, token: template.base.Token) -> HoleNode:
    """``{% hole "name" %}…{% endhole %}``; the name may be an expression (``"toc:"|add:slug``)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("hole takes one argument: its name")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(parser.compile_filter(bits[1]), nodelist)


@dataclass(frozen=True)
class Frame:
    """A rendered page cut at its holes: static text at even indexes, hole names at odd ones."""

    parts: tuple[str, ...]

    @classmethod
    def from_html(cls, html: str) -> "Frame":
        parts: list[str] = []
        rest = html
        while _OPEN in rest:
            before, _, after = rest.partition(_OPEN)
            name, _, rest = after.partition(_CLOSE)
            parts += [before, name]
        parts.append(rest)
        return cls(tuple(parts))

    @property
    def holes(self) -> tuple[str, ...]:
        return self.parts[1::2]

    def fill(
        self, region: Callable[[str], str], request: HttpRequest, state: Hashable = None
    ) -> bytes:
        """The page for one request, encoded: each hole's region, and the request's CSRF token.

        ``state``, when given, is everything the page's own regions depend on (the page's name
        included): the filled page of a visitor with no personal parts in base.html is kept for
        it, so the next request in the same state costs a lookup and its token. A learner
        rereading a page, and a class at the same point of the course, share it. It is kept
        encoded and cut at its tokens: encoding a 50 kB page of text with a few non-ASCII
        characters costs 35 µs, more than joining the pieces around a token.
        """
        from classrooms.context_processors import has_personal_parts

        personal = has_personal_parts(request) if state is not None else None
        pieces = _filled.get(state) if personal is False else None
        if pieces is None:
            html = self._joined(region, request, personal)
            pieces = tuple(piece.encode() for piece in html.split(CSRF_MARK))
            if personal is False:
                _filled.put(state, pieces)
        if len(pieces) == 1:
            return pieces[0]
        return csrf_token(request).encode("ascii").join(pieces)

    def _joined(
        self, region: Callable[[str], str], request: HttpRequest, personal: bool | None
    ) -> str:
        from classrooms.context_processors import has_personal_parts

        out = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
            elif part.startswith(SITE):
                if personal is None:  # asked once, at the first of base.html's holes
                    personal = has_personal_parts(request)
                out.append(site_region(part, request) if personal else "")
            else:
                out.append(region(part))
        return "".join(out)


# Filled pages by their state (``Frame.fill``): 20 to 50 kB each, so some 12 MB at most.
_filled = ProcessMemo(limit=256)


def csrf_token(request: HttpRequest) -> str:
    """The request's CSRF token as Django's ``get_token`` makes it (the cookie's secret under a
    new random mask, so no two pages carry the same token), with the mask drawn in one read of
    the system's random source: Django draws each of its 32 characters with a system call of its
    own, which costs a lesson page more than filling in the learner's progress.

    Unlike ``get_token``, a returning visitor's cookie is not sent again: re-sending it only
    moves its expiry (a year, ``CSRF_COOKIE_AGE``) and cost a tenth of a lesson page. Forms
    outside these pages (the builder's) still renew it, and once it expires the next page
    sets a new one.
    """
    secret = request.META.get("CSRF_COOKIE")  # CsrfViewMiddleware keeps only a valid secret
    if secret is None:
        return get_token(request)  # a first visit: Django makes the secret and sets its cookie
    mask = _random_string(CSRF_SECRET_LENGTH)
    # Character by character, Django's cipher: chars[(position(secret) + position(mask)) % 62].
    return mask + "".join(map(_CIPHER.__getitem__, map(operator.add, secret, mask)))


# Each pair of characters (the secret's, the mask's) and the character it masks to.
_CIPHER = {
    a + b: CSRF_ALLOWED_CHARS[(i + j) % len(CSRF_ALLOWED_CHARS)]
    for i, a in enumerate(CSRF_ALLOWED_CHARS)
    for j, b in enumerate(CSRF_ALLOWED_CHARS)
}
# Random bytes to characters: byte b is character b % 62, and the bytes past the last whole
# multiple of 62 are dropped, so no character is favoured.
_USABLE = 256 - 256 % len(CSRF_ALLOWED_CHARS)
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(_USABLE))
_TO_CHAR += bytes(256 - _USABLE)
_DROPPED = bytes(range(_USABLE, 256))


def _random_string(length: int) -> str:
    """``length`` characters of ``CSRF_ALLOWED_CHARS``, each equally likely."""
    drawn = b""
    while len(drawn) < length:
        drawn += os.urandom(2 * length).translate(_TO_CHAR, _DROPPED)
    return drawn[:length].decode("ascii")


SITE = "site:"  # holes of base.html itself, filled the same way on every page


def site_region(name: str, request: HttpRequest) -> str:
    """A part of base.html that depends on who asks: an instructor's account links, a joined
    learner's classroom bar (``templates/_site_regions.html``). Most visitors have none, and
    for them ``fill`` renders none of it."""
    return render_to_string(f"_site_regions.html#{name.removeprefix(SITE)}", request=request)


def frame_context(context: dict) -> dict:
    """The context that renders a frame: holes left as markers, the CSRF token as a marker."""
    return {**context, FRAME_FLAG: True, "csrf_token": CSRF_MARK}
