"""The Pod engine: pure Python, no Django.

Everything Pod Studio says about a Pod comes from here, so the builder, the lessons, the CLI
and the API agree with each other and, as closely as we can make them, with a real cluster.

Modules:
- ``yamlio``: safe YAML in, canonical YAML out.
- ``quantity``: Kubernetes resource quantities (``500m``, ``1Gi``).
- ``defaults``: the API server's defaulting that changes analysis (requests from limits).
- ``qos``: the QoS class, as the kubelet computes it.
- ``pss``: Pod Security Standards (baseline and restricted).
- ``schema`` and ``validation``: OpenAPI schema plus the rules only the API server knows.
- ``findings``: best-practice lint.
- ``analyze``: all of the above as one JSON-ready report.
"""
