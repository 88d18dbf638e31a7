"""Go's white space (``unicode.IsSpace``), which ``strings.TrimSpace`` and ``strings.Fields``
use, and kubectl's reader trims a ``---`` line with: Python's ``strip()`` and ``split()`` take
``\\x1c``-``\\x1f`` (the information separators) as spaces too, and Go does not. Written out
character by character, so that it serves ``str.strip`` and a regular expression's class alike.
"""

# Go's white space within a line: all of it but the line ends "\n" and "\r".
GO_LINE_SPACE = (
    "\t\v\f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
GO_SPACE = GO_LINE_SPACE + "\n\r"
