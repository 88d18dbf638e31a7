"""Site-wide state that belongs to no single app."""

from django.db import models


class RateCounter(models.Model):
    """How many times one key (an action by one learner, or by one address) was used in one
    short time bucket (``podstudio.ratelimit`` sums the recent ones). Kept in the database so
    every server process counts together."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # the bucket's start, in seconds since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="one_counter_per_window"),
        ]
        indexes = [models.Index(fields=["window"])]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"
