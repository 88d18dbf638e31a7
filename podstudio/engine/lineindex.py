"""Where each key and list item of a document stands in its text, for reports that give lines.

The reader (``yamlio._read``) hands each of libyaml's events to a ``LineIndexer`` as it builds
the data, so a document read for the CLI or the API is parsed once, not again to find lines;
``documents.line_index`` runs one over a body of its own when the text had to be changed
before it was read.
"""

from typing import Any

import yaml


class LineIndexer:
    """The 0-based line of every key and list item of a document, by key path, from libyaml's
    events as a reader sees them one by one (``see``): the CLI's reports give each problem's
    line, and the events the document was read from give them without a second parse. What
    aliases repeat and keys that are collections are not indexed (the reader refuses the
    latter anyway)."""

    __slots__ = ("index", "_stack", "_max_depth")

    def __init__(self, max_depth: int) -> None:
        self.index: dict[tuple, int] = {}
        self._max_depth = max_depth
        # Each open collection: [path (None: not indexed), is_mapping, expects_key, key, next
        # index]
        self._stack: list[list[Any]] = []

    def see(self, event: Any, kind: type) -> bool:
        """Takes in one event; False once there is nothing more to index."""
        stack = self._stack
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            return True
        starts = kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent
        if kind is not yaml.ScalarEvent and not starts and kind is not yaml.AliasEvent:
            return kind is not yaml.StreamEndEvent
        path: tuple | None = ()
        if stack:
            top = stack[-1]
            if top[1] and top[2]:  # a mapping's key
                top[2] = False
                top[3] = event.value if kind is yaml.ScalarEvent else None
                if top[0] is not None and top[3] is not None:
                    self.index[(*top[0], top[3])] = event.start_mark.line
                if starts:
                    stack.append([None, kind is yaml.MappingStartEvent, True, None, 0])
                return True
            if top[1]:  # a mapping's value
                top[2] = True
                path = None if top[0] is None or top[3] is None else (*top[0], top[3])
            else:  # a list item
                path = None if top[0] is None else (*top[0], top[4])
                top[4] += 1
                if path is not None and path not in self.index:
                    self.index[path] = event.start_mark.line
        if starts:
            if len(stack) >= self._max_depth:
                return False
            stack.append([path, kind is yaml.MappingStartEvent, True, None, 0])
        return True
