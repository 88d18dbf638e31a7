"""Admission: what the API server's admission plugins decide after validation.

- ``pss``: Pod Security Admission's baseline and restricted levels.
"""
