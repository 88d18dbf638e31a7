"""The test suite's settings: the app's own, but static files served from their source folders
(no ``collectstatic`` before tests; the production layout has tests of its own)."""

import os

os.environ.setdefault("STATIC_HASHED", "false")

from podstudio.settings import *  # noqa: F403
