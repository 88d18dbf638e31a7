"""The builder's live preview as a ``make bench`` scenario.

Creates one design over HTTP (as a learner would, with a session and a CSRF token), then
describes the request the browser sends on each keystroke to the preview URL.
"""

import http.cookiejar
import re
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POD = ROOT / "tests" / "manifests" / "seed" / "my-app-pod.yaml"
# The same Pod as the template of a Deployment: its keystrokes go through the workload form.
DEPLOYMENT = ROOT / "tests" / "workloads" / "my-app-deployment.yaml"


def preview_scenario(base_url: str, manifest: Path = POD) -> dict:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/builder/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"yaml": manifest.read_text(), "csrfmiddlewaretoken": token})
    request = urllib.request.Request(
        base_url + "/builder/import", data=body.encode(), headers={"Referer": base_url + "/"}
    )
    response = opener.open(request, timeout=10)
    path = urllib.parse.urlparse(response.geturl()).path
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    # What builder.js sends on a keystroke in the name field: that field alone, and what the page
    # shows (the CSRF token travels in a header). Each request renames the Pod, so every one
    # carries a new manifest that is analyzed, rendered and saved, as when typing.
    design_page = opener.open(base_url + path, timeout=10).read().decode()
    shown_sections = re.search(r'id="shown-sections" value="([^"]*)"', design_page).group(1)
    form = [
        ("metadata.name", "my-app-pod-__N__"),
        ("_shown_errors", ""),
        ("_shown_sections", shown_sections),
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
