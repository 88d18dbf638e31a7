"""A design is one Pod or workload manifest a learner is building, saved as they type.

A design imported from a file keeps the file's text (``source``) and which of its documents it
edits (``document``): ``manifest`` is that document as edited, the form's single source of
truth, and ``services.render_file`` writes the whole file back with every other byte kept."""

import secrets
from datetime import UTC, timedelta

from django.db import models
from django.utils import timezone
from django.utils.timesince import timesince

from podstudio.engine.kinds import shown_name

_SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0)


def new_slug() -> str:
    return "".join(secrets.choice(_SLUG_ALPHABET) for _ in range(10))


class Design(models.Model):
    slug = models.CharField(max_length=16, unique=True, default=new_slug)
    manifest = models.JSONField()
    exercise = models.CharField(max_length=80, blank=True)
    # The imported file as it was ("" for designs started in the builder), and the index of the
    # document (among the file's non-empty documents) that ``manifest`` is.
    source = models.TextField(blank=True, default="")
    # A file that came as UTF-16 ("utf-16-le" or "utf-16-be") downloads as UTF-16; "" is UTF-8.
    source_encoding = models.CharField(max_length=16, blank=True, default="")
    document = models.PositiveIntegerField(default=0)
    # Who may edit it in place; anyone else who edits it gets a copy of their own. No owner:
    # everyone gets a copy (designs made before learners existed, or whose learner is gone).
    learner = models.ForeignKey(
        "lessons.Learner", null=True, blank=True, on_delete=models.CASCADE, related_name="designs"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # After this moment the design is read-only (its classroom has ended): an edit makes a copy.
    closes_at = models.DateTimeField(null=True, blank=True)

    # Where the learner stands on the exercise, written with each save (builder/livestate.py).
    goals_met = models.PositiveSmallIntegerField(default=0)
    goals_total = models.PositiveSmallIntegerField(default=0)
    goals_best = models.PositiveSmallIntegerField(default=0)  # most goals ever met at once
    goal_at = models.DateTimeField(default=timezone.now)  # when goals_best last rose
    error_count = models.PositiveIntegerField(default=0)
    first_error = models.CharField(max_length=300, blank=True)
    error_since = models.DateTimeField(null=True, blank=True)  # first edit showing first_error
    error_edits = models.PositiveIntegerField(default=0)  # edits in a row showing first_error
    edits = models.PositiveIntegerField(default=0)  # saved edits

    # The last live-preview edit saved: the builder page it came from (a random id each page
    # load) and its number there. An older edit of the same page that reaches the database
    # later (its request was replaced by a newer keystroke, but the server still ran it) is not
    # saved over the newer one (builder/saving.py, save_manifest).
    # A save that comes from no builder page (a form posted without JavaScript, another
    # document of the file, an instructor's reset) clears ``edit_page``: no page can then take
    # the design's newest version for the one it drew (``revision``).
    edit_page = models.CharField(max_length=32, blank=True, default="")
    edit_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.slug

    def is_closed(self, now=None) -> bool:
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())

    @property
    def revision(self) -> str:
        """The version a builder page draws (the time of the last save, to the microsecond):
        the page posts it back, and an edit made on an older version is not saved over a
        newer one (``builder.saving.changed_elsewhere``)."""
        return f"{self.updated.astimezone(UTC):%Y%m%d%H%M%S%f}"

    @property
    def authored(self) -> bool:
        """Imported from a file: its text is kept around the edits, and its workload selector
        is the author's (``workloads.apply_design_form``)."""
        return bool(self.source)

    @property
    def pod_name(self) -> str:
        return shown_name(self.manifest) or "(unnamed)"

    @property
    def kind_name(self) -> str:
        kind = self.manifest.get("kind") if isinstance(self.manifest, dict) else None
        return kind if isinstance(kind, str) and kind else "Pod"

    @property
    def changed_words(self) -> str:
        """When it last changed, for a list of designs: "just now", "3 minutes ago"."""
        if timezone.now() - self.updated < timedelta(minutes=1):
            return "changed just now"
        return f"changed {timesince(self.updated)} ago"
