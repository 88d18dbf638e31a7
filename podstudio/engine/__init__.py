"""The Pod engine: plain Python, no Django.

Everything Pod Studio says about a manifest comes from here, so the builder, the lessons, the
CLI and the API agree with each other and with a real cluster. The modules follow the path a
manifest takes through the API server:

- ``yamlio``: reading (as kubectl reads YAML) and canonical writing.
- ``schema``: the OpenAPI schema of the chosen Kubernetes version (types, unknown fields;
  ``unknownfields`` names the field an unknown one was likely meant to be).
- ``defaults``: the API server's defaulting that changes what is judged.
- ``validation``: the rules only the API server knows (``pkg/apis/core/validation``).
- ``admission``: admission plugins every cluster runs, Pod Security first.
- ``qos``: the QoS class, as the kubelet computes it.
- ``findings``: best-practice lint, beyond what a cluster checks.
- ``analyze``: all of the above as one JSON-ready report.
- ``quantity``, ``paths``, ``results``: resource quantities, field paths, result shapes.

Beside that path, the author's own file: ``sourcemap`` (where each value stands in the text),
``textedit`` (new data written into the file, touching only what changed), ``yamlwrite`` (text
for new values in the file's style), ``pathedit`` (edits by field path, for ``podstudio
edit``) and ``fielddocs`` (the schema's descriptions, like ``kubectl explain``).
"""
