"""The builder's live preview as a ``make bench`` scenario.

Creates one design over HTTP (as a learner would, with a session and a CSRF token), then
describes the request the browser sends on each keystroke to the preview URL.

``COMMENTED_POD`` is ``POD`` as an author keeps it (a header comment, comments at the ends of
lines, quoted strings, keys in their own order, flow maps): imported, its keystrokes go through
the author's-file path (``textedit.rewrite``); with its file forgotten (``forget_source``), the
same Pod is one started in the builder, whose preview is canonical YAML.
"""

import http.cookiejar
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POD = ROOT / "tests" / "manifests" / "seed" / "my-app-pod.yaml"
# The same Pod as the template of a Deployment: its keystrokes go through the workload form.
DEPLOYMENT = ROOT / "tests" / "workloads" / "my-app-deployment.yaml"


COMMENTED_POD = """\
# my-app: the backend of the shop.
# DO NOT remove the seccomp profile: the cluster's policy refuses Pods without it.

kind: Pod
apiVersion: v1
metadata:
  name: my-app-pod   # the Service selects by label, not by name
  namespace: production
  labels: {app: my-app, tier: backend, version: "1.0"}
  annotations:
    description: 'My application pod'
    created-by: "team-backend"
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}   # keep!
  # Container specifications
  containers:
    - name: app
      image: "my-app:1.0"
      ports:
        - {containerPort: 8080, name: http, protocol: TCP}
      env:
        - name: ENV_VAR
          value: "production"   # quoted on purpose
      resources:
        requests:
          memory: "128Mi"
          cpu: '250m'
        limits: {memory: 256Mi, cpu: 500m}   # measured under load
      volumeMounts:
        - name: config
          mountPath: /etc/config
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        initialDelaySeconds: 30
        periodSeconds: 10
      readinessProbe:
        httpGet:
          path: /ready
          port: 8080
        initialDelaySeconds: 5
        periodSeconds: 5

  # Volume specifications
  volumes:
    - name: config
      configMap:
        name: app-config

  # Pod scheduling
  nodeSelector: {disktype: ssd}
  tolerations:
    - key: "dedicated"
      operator: "Equal"
      value: "backend"
      effect: "NoSchedule"
"""


def forget_source(env: dict, slug: str) -> None:
    """Makes an imported design one started in the builder: the same Pod, no file (run in the
    bench's own database, as the server sees it)."""
    code = (
        "from podstudio.builder.models import Design; "
        f"Design.objects.filter(slug={slug!r}).update(source='', document=0)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
    )


def preview_scenario(base_url: str, manifest: Path | str = POD) -> dict:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/builder/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    text = manifest.read_text() if isinstance(manifest, Path) else manifest
    body = urllib.parse.urlencode({"yaml": text, "csrfmiddlewaretoken": token})
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
        # Each request as the first edit of a page of its own: every one is saved, through the
        # same conditional UPDATE as a browser's numbered edits (none is refused as older). No
        # ``_base``: the connections share one design, which no two learners' pages do.
        ("_edit", "__H__:1"),
    ]
    return {
        "slug": path.rstrip("/").rsplit("/", 1)[1],
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
