"""Lesson pages as ``make bench`` scenarios, read by a learner with progress of their own.

The learner is made over HTTP as a browser would (a session, a CSRF token): they mark two
lessons read and answer the quiz of the lesson the scenario reads, so every page carries the
learner's own state, not only what is the same for everyone.
"""

import http.cookiejar
import re
import urllib.parse
import urllib.request

LESSONS = ("qos", "probes")


def _post(opener, base_url: str, path: str, form: dict, token: str) -> None:
    data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
    headers = {"Referer": base_url + path}
    opener.open(urllib.request.Request(base_url + path, data=data, headers=headers), timeout=10)


def lesson_scenarios(base_url: str) -> list[dict]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    scenarios = []
    for slug in LESSONS:
        path = f"/lessons/{slug}/"
        page = opener.open(base_url + path, timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        _post(opener, base_url, f"/lessons/{slug}/read", {}, token)
        # The first choice of every question: right for some, wrong for others.
        for question_id in dict.fromkeys(re.findall(r'id="q-([\w-]+)-feedback"', page)):
            _post(opener, base_url, f"/lessons/{slug}/quiz/{question_id}", {"choice": "a"}, token)
        scenarios.append({"path": path})
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    for scenario in scenarios:
        scenario["headers"] = {"Cookie": cookies}
    return scenarios
