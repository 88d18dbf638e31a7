"""Prepared OpenAPI schemas, one file per Kubernetes version (see ``engine.schema``).

Written at development time from ``kubernetes_validate``'s data; run after upgrading it or
changing how ``schemasource.build_schema_data`` prepares a schema::

    python -m podstudio.engine.schemadata
"""
