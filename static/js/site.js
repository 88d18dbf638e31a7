// Small progressive enhancements shared by every page. Pages work without it.
