"""A CronJob's schedule in words on the builder's kind badge."""

import re

import pytest
from django.urls import reverse

from podstudio.builder.models import Design
from podstudio.builder.schedule import describe_schedule

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "{schedule}"{zone}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: busybox:1.36
"""


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ("0 3 * * *", "at 03:00, every day"),
        ("30 2 * * 1-5", "at 02:30, Monday through Friday"),
        ("0 3 * * sun", "at 03:00, only on Sunday"),
        ("*/15 * * * *", "every 15 minutes"),
        ("15,45 * * * *", "at 15 and 45 minutes past the hour"),
        ("0 3 1 * *", "at 03:00, on day 1 of the month"),
        # Both day fields set: robfig/cron runs on either, as Vixie cron does.
        ("0 0 1 * 1", "at 00:00, on day 1 of the month, or on Monday"),
        ("@daily", "at 00:00, every day"),
        ("@hourly", "every hour"),
        ("@weekly", "at 00:00, only on Sunday"),
        ("@every 1h30m", "every 1h30m"),
        ("? ? ? ? ?", "every minute"),  # ? is * to robfig/cron
        # Both day fields name days: robfig/cron runs on either, and the words say so.
        ("0 0 1,15 * 1-5", "at 00:00, on day 1 and 15 of the month, or on Monday through Friday"),
        ("0 0 */2 * 1", "at 00:00, every 2 days, or on Monday"),
        (
            "0 0 1 * */2",
            "at 00:00, on day 1 of the month, or on Sunday, Tuesday, Thursday, and Saturday",
        ),
        ("0 0 */1 * 1", "at 00:00, only on Monday"),  # */1 is *: the weekday decides alone
        # A step in the weekday field counts days, as robfig/cron counts them (the library on
        # its own reads 5/7 as "every 7 weeks").
        ("0 0 * * 5/7", "at 00:00, only on Friday"),
        ("0 0 * * 1/2", "at 00:00, only on Monday, Wednesday, and Friday"),
        ("0 0 * * 0,3/2", "at 00:00, only on Sunday, Wednesday, and Friday"),
        # Forms the library cannot read on its own get the values robfig/cron makes of them.
        ("* ? 2,6/1 * *", "every minute, on day 2 and 6 through 31 of the month"),
        ("*,*/3 */1 * Mar/1 1-3", "every minute, Monday through Wednesday, March through December"),
        # One minute in some hours reads as clock times, not as the library's spans.
        ("0 9-17 * * 1-5", "every hour from 09:00 to 17:00, Monday through Friday"),
        ("0 22-23,0-5 * * *", "every hour from 22:00 to 05:00"),
        ("30 */6 * * *", "at 00:30, 06:30, 12:30 and 18:30"),
        ("0 9-17/2 * * *", "at 09:00, 11:00, 13:00, 15:00 and 17:00"),
        ("0 */3 * * *", "every 3 hours"),
        ("*/5 9-17 * * *", "every 5 minutes, between 09:00 and 17:59"),
        # A date that never comes, or only in leap years, says so (and is a finding).
        ("0 0 31 4 *", "at 00:00, on day 31 of the month, only in April; never comes round"),
        ("0 0 29 2 *", "at 00:00, on day 29 of the month, only in February; leap years only"),
    ],
)
def test_a_schedule_the_api_server_accepts_is_said_in_words(schedule, words):
    assert describe_schedule(schedule) == words


@pytest.mark.parametrize(
    "schedule",
    [
        "0 3 * * 7",  # robfig/cron's weekdays end at 6, where other crons take 7 for Sunday
        "every day",
        "60 * * * *",
        "TZ=UTC 0 3 * * *",  # the API server wants the timeZone field instead
        "@fortnightly",
    ],
)
def test_a_schedule_it_refuses_is_shown_as_written(schedule):
    assert describe_schedule(schedule) == f"schedule {schedule}"


def test_the_time_zone_follows_the_words():
    assert describe_schedule("0 9 * * *", "Europe/Paris") == "at 09:00, every day (Europe/Paris)"
    # A zone the API server does not know has its error at the field, not a place in the badge.
    assert describe_schedule("0 9 * * *", "Europe/Pari") == "at 09:00, every day"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("schedule", "zone", "badge"),
    [
        ("0 3 * * *", "", "CronJob · at 03:00, every day"),
        (
            "0 9 * * 1",
            "\n  timeZone: Asia/Tokyo",
            "CronJob · at 09:00, only on Monday (Asia/Tokyo)",
        ),
        ("0 3 * * 7", "", "CronJob · schedule 0 3 * * 7"),
        # A time zone of the wrong type is the API server's error to show, not the badge's.
        ("0 3 * * *", "\n  timeZone: [Asia/Tokyo]", "CronJob · at 03:00, every day"),
        ("0 3 * * *", "\n  timeZone: {zone: Asia/Tokyo}", "CronJob · at 03:00, every day"),
    ],
)
def test_the_builder_badge_says_when_the_cronjob_runs(client, schedule, zone, badge):
    text = CRONJOB.format(schedule=schedule, zone=zone)
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    shown = re.search(r'<span class="badge kind" id="status-kind">([^<]*)</span>', page)
    assert shown and shown.group(1) == badge


@pytest.mark.django_db
def test_a_cronjob_shows_its_next_runs_and_a_pod_does_not(client):
    def page(text: str) -> str:
        response = client.post(reverse("builder:import"), {"yaml": text})
        return client.get(response["Location"]).content.decode()

    utc = page(CRONJOB.format(schedule="0 3 * * *", zone=""))
    line = re.search(r'id="status-next">([^<]*)<', utc)[1]
    # Without timeZone, the controller's clock: UTC. Three runs, each at 03:00.
    assert line.startswith("Next runs (UTC, the controller&#x27;s clock): ")
    assert re.findall(r"\b\d\d:\d\d\b", line) == ["03:00", "03:00", "03:00"]

    berlin = page(CRONJOB.format(schedule="30 2 * * 1-5", zone="\n  timeZone: Europe/Berlin"))
    line = re.search(r'id="status-next">([^<]*)<', berlin)[1]
    assert line.startswith("Next runs (Europe/Berlin): ")
    assert re.findall(r"\b\d\d:\d\d\b", line) == ["02:30"] * 3
    assert not {"Sat", "Sun"} & set(re.findall(r"\b[A-Z][a-z]{2}\b", line))

    assert 'id="status-next"' not in page(CRONJOB.format(schedule="@every 2h", zone=""))
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}"
    )
    assert 'id="status-next"' not in page(pod)
