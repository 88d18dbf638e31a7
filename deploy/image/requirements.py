"""Prints the runtime requirements in pyproject.toml, one a line, for `pip install -r`.

The image installs them in a layer of their own before the source is copied, so a change to the
code rebuilds only the small layers after it. The ``postgres`` extra is included when it exists.
"""

import sys
import tomllib

with open(sys.argv[1], "rb") as handle:
    project = tomllib.load(handle)["project"]
extras = project.get("optional-dependencies", {})
for requirement in project["dependencies"] + extras.get("postgres", []):
    sys.stdout.write(requirement + "\n")
