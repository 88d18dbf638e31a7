"""The builder's live preview as a ``make bench`` scenario.

Creates one design over HTTP (as a learner would, with a session and a CSRF token), then
describes the request htmx sends on each keystroke: the whole form, posted to the preview URL.
"""

import http.cookiejar
import re
import urllib.parse
import urllib.request
from pathlib import Path

from podstudio.pods.edit import form_data
from podstudio.pods.yamlio import load_manifest

POD = Path(__file__).resolve().parents[2] / "tests" / "manifests" / "seed" / "my-app-pod.yaml"


def preview_scenario(base_url: str) -> dict:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/builder/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"yaml": POD.read_text(), "csrfmiddlewaretoken": token})
    request = urllib.request.Request(
        base_url + "/builder/import", data=body.encode(), headers={"Referer": base_url + "/"}
    )
    response = opener.open(request, timeout=10)
    path = urllib.parse.urlparse(response.geturl()).path
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    form = form_data(load_manifest(POD.read_text()))
    # Each request renames the Pod: a new manifest every time, saved every time, as when typing.
    form = [
        (name, "my-app-pod-__N__" if name == "metadata.name" else value) for name, value in form
    ]
    return {
        "path": path + "preview",
        "body": urllib.parse.urlencode(form, doseq=True),
        "content_type": "application/x-www-form-urlencoded",
        "headers": {
            "HX-Request": "true",
            "X-CSRFToken": token,
            "Cookie": cookies,
            "Referer": base_url + path,
        },
    }
