"""A design is one Pod manifest a learner is building, saved as they type."""

import secrets

from django.db import models

_SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0)


def new_slug() -> str:
    return "".join(secrets.choice(_SLUG_ALPHABET) for _ in range(10))


class Design(models.Model):
    slug = models.CharField(max_length=16, unique=True, default=new_slug)
    manifest = models.JSONField()
    exercise = models.CharField(max_length=80, blank=True)
    # Who may edit it in place; anyone else who edits it gets a copy of their own. No owner:
    # everyone gets a copy (designs made before learners existed, or whose learner is gone).
    learner = models.ForeignKey(
        "lessons.Learner", null=True, blank=True, on_delete=models.CASCADE, related_name="designs"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.slug

    @property
    def pod_name(self) -> str:
        metadata = self.manifest.get("metadata") if isinstance(self.manifest, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return name if isinstance(name, str) and name else "(unnamed)"
