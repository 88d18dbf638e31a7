"""A CronJob's lines in the sandbox panel, from the API server's answer: its last run as a
moment on the reader's clock, its next run as the controller would start it."""

from datetime import UTC, datetime, timedelta

from django.template.loader import render_to_string

from podstudio.sandbox import workloads
from podstudio.sandbox.client import ApiAnswer


class AnsweringCluster:
    """Answers the panel's reads: the CronJob itself, and nothing else it made."""

    def __init__(self, cronjob: dict):
        self.cronjob = cronjob

    def request(self, method, path, query=None, body=None, **kwargs):
        if path.endswith("/cronjobs/nightly"):
            return ApiAnswer(200, self.cronjob)
        return ApiAnswer(200, {"items": []})


def _panel(spec: dict, status: dict) -> str:
    cronjob = {"metadata": {"name": "nightly", "uid": "u1"}, "spec": spec, "status": status}
    view = workloads.status(
        kind_name="CronJob", name="nightly", namespace="ps-x", cluster=AnsweringCluster(cronjob)
    )
    return render_to_string("sandbox/sandbox.html#status_body", {"workload": view})


def test_the_last_run_is_a_moment_and_the_next_one_follows_the_schedule():
    html = _panel(
        {"schedule": "0 3 * * *", "timeZone": "Etc/GMT-2"},
        {"lastScheduleTime": "2026-12-05T01:00:00Z"},
    )
    assert '<dt>Last run</dt><dd><time datetime="2026-12-05T01:00:00+00:00"' in html
    # 03:00 at UTC+2 is 01:00 UTC, every day: the next is tomorrow's or today's.
    now = datetime.now(UTC)
    next_run = now.replace(hour=1, minute=0, second=0, microsecond=0)
    if next_run <= now:
        next_run += timedelta(days=1)
    assert f'<dt>Next run</dt><dd><time datetime="{next_run.isoformat()}"' in html


def test_a_suspended_cronjob_and_one_that_never_ran():
    html = _panel({"schedule": "*/5 * * * *", "suspend": True}, {})
    assert "<dt>Last run</dt><dd>not yet</dd>" in html
    assert "<dt>Next run</dt><dd>none while suspended</dd>" in html


def test_an_every_schedule_counts_from_the_controllers_start():
    html = _panel({"schedule": "@every 1h"}, {})
    assert "<dt>Next run</dt><dd>not known (counted from the controller&#x27;s start)</dd>" in html
