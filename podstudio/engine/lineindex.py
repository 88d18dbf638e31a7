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
        if kind is _SCALAR or kind is _ALIAS:
            if not stack:
                return True
            top = stack[-1]
            if not top[1]:  # a list item
                if top[0] is not None:
                    path = (*top[0], top[4])
                    if path not in self.index:
                        self.index[path] = event.start_mark.line
                top[4] += 1
            elif top[2]:  # a mapping's key
                top[2] = False
                top[3] = event.value if kind is _SCALAR else None
                if top[0] is not None and top[3] is not None:
                    self.index[(*top[0], top[3])] = event.start_mark.line
            else:  # a mapping's value: nothing below it to index
                top[2] = True
            return True
        if kind is _MAPPING_END or kind is _SEQUENCE_END:
            stack.pop()
            return True
        if kind is not _MAPPING_START and kind is not _SEQUENCE_START:
            return kind is not _STREAM_END
        path: tuple | None = ()
        if stack:
            top = stack[-1]
            if top[1] and top[2]:  # a collection as a mapping's key: nothing below is indexed
                top[2], top[3] = False, None
                stack.append([None, kind is _MAPPING_START, True, None, 0])
                return True
            if top[1]:  # a mapping's value
                top[2] = True
                path = None if top[0] is None or top[3] is None else (*top[0], top[3])
            else:  # a list item
                path = None if top[0] is None else (*top[0], top[4])
                top[4] += 1
                if path is not None and path not in self.index:
                    self.index[path] = event.start_mark.line
        if len(stack) >= self._max_depth:
            return False
        stack.append([path, kind is _MAPPING_START, True, None, 0])
        return True


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_STREAM_END = yaml.StreamEndEvent
