"""A server-drawn SVG of a Pod: what runs first, what runs side by side, what shares a volume.

Containers stack on the left: init containers (numbered, in the order they run), native
sidecars (init containers with ``restartPolicy: Always``), app containers; volumes sit on the
right. A line joins a container to each volume it mounts: solid for read-write, dashed for
read-only. Plain SVG with classes and presentation attributes (no inline styles); all text is
escaped.
"""

from html import escape
from typing import Any

from podstudio.builder.formfields import VOLUME_KINDS
from podstudio.engine.kinds import shown_name
from podstudio.engine.paths import as_dict, as_list

WIDTH = 480
BOX_W, BOX_H = 262, 116
BOX_GAP = 12
VOL_W, VOL_H = 132, 46
LEFT = 20
VOL_X = WIDTH - 20 - VOL_W
LABEL_H = 22
ROW_GAP = 18

PROBES = (
    ("livenessProbe", "L", "liveness"),
    ("readinessProbe", "R", "readiness"),
    ("startupProbe", "S", "startup"),
)


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _short(value: Any, limit: int) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _ports(container: dict) -> str:
    parts = []
    for port in as_list(container.get("ports")):
        port = as_dict(port)
        number = port.get("containerPort")
        if number is None:
            continue
        text = f"{number}/{_text(port.get('protocol')) or 'TCP'}"
        if port.get("name"):
            text += f" {_text(port.get('name'))}"
        parts.append(text)
    return ", ".join(parts)


def _resources(container: dict) -> tuple[str, str]:
    """The requests and limits lines. A request left out but limited takes the limit's value,
    as the API server's defaulting does (and the QoS badge counts), so say so."""
    resources = as_dict(container.get("resources"))
    limits = as_dict(resources.get("limits"))
    requests = as_dict(resources.get("requests"))

    def line(kind: str, values: dict) -> str:
        cpu, memory = values.get("cpu"), values.get("memory")
        if cpu is None and memory is None:
            return f"{kind}: none"
        return f"{kind}: cpu {_text(cpu) or '–'} · mem {_text(memory) or '–'}"

    effective = {
        name: requests[name] if requests.get(name) is not None else limits.get(name)
        for name in ("cpu", "memory")
    }
    if limits and all(requests.get(name) is None for name in ("cpu", "memory")):
        return "requests: as limits (defaulted)", line("limits", limits)
    return line("requests", effective), line("limits", limits)


def _probe_handler(probe: dict) -> str:
    for handler in ("httpGet", "tcpSocket", "exec", "grpc"):
        if handler in probe:
            detail = as_dict(probe.get(handler))
            if handler == "httpGet":
                path = _text(detail.get("path")) or "/"
                return f"HTTP GET {path} on port {_text(detail.get('port'))}"
            if handler == "tcpSocket":
                return f"TCP connect to port {_text(detail.get('port'))}"
            if handler == "grpc":
                return f"gRPC health on port {_text(detail.get('port'))}"
            return "command " + " ".join(_text(item) for item in as_list(detail.get("command")))
    return "no handler"


def _volume_kind(volume: dict) -> str:
    for key in VOLUME_KINDS:
        if key in volume:
            return key
    for key in volume:
        if key != "name":
            return key
    return "no source"


class _Canvas:
    def __init__(self) -> None:
        self.under: list[str] = []  # lines, drawn first so boxes cover them
        self.over: list[str] = []

    def text(self, x: float, y: float, value: str, css: str, anchor: str = "start") -> None:
        self.over.append(
            f'<text x="{x:g}" y="{y:g}" class="{css}" text-anchor="{anchor}">{_e(value)}</text>'
        )


def _container_box(canvas: _Canvas, x: float, y: float, entry: dict) -> None:
    container, role, order = entry["container"], entry["role"], entry["order"]
    name = _text(container.get("name")) or "(no name)"
    image = _text(container.get("image")) or "(no image)"
    fill = {"init": "#fff8e6", "sidecar": "#eef6ff", "app": "#ffffff"}[role]
    canvas.over.append(
        f'<g class="dg-container dg-{role}">'
        f"<title>{_e(role)} container {_e(name)}: {_e(image)}</title>"
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" class="dg-box" '
        f'fill="{fill}" stroke="#8a94a3"/></g>'
    )
    text_x = x + 12
    if role == "init":
        canvas.over.append(
            f'<circle cx="{x + 16}" cy="{y + 17}" r="10" class="dg-order" fill="#8a5300"/>'
        )
        canvas.text(x + 16, y + 21, str(order), "dg-order-text", "middle")
        text_x = x + 32
    canvas.text(text_x, y + 22, _short(name, 26 if role == "init" else 28), "dg-name")
    # 35 characters of 11px monospace (6.6 units each) fill the box's 238 units of text.
    canvas.text(x + 12, y + 42, _short(image, 35), "dg-image")
    ports = _ports(container)
    canvas.text(x + 12, y + 60, _short(f"ports: {ports}" if ports else "no ports", 34), "dg-small")
    requests, limits = _resources(container)
    canvas.text(x + 12, y + 78, _short(requests, 36), "dg-small")
    canvas.text(x + 12, y + 94, _short(limits, 36), "dg-small")
    badge_x = x + BOX_W - 12 - 22 * len(PROBES)
    for key, letter, label in PROBES:
        probe = container.get(key)
        present = isinstance(probe, dict)
        css = "dg-probe on" if present else "dg-probe off"
        detail = f"{label} probe: {_probe_handler(probe)}" if present else f"no {label} probe"
        canvas.over.append(
            f'<g class="{css}"><title>{_e(detail)}</title>'
            f'<rect x="{badge_x}" y="{y + 8}" width="18" height="18" rx="4" '
            f'fill="{"#1d6b3a" if present else "#ffffff"}" stroke="#8a94a3"/>'
            f'<text x="{badge_x + 9}" y="{y + 21}" text-anchor="middle" class="dg-probe-letter" '
            f'fill="{"#ffffff" if present else "#8a94a3"}">{letter}</text></g>'
        )
        badge_x += 22


def pod_diagram_svg(
    manifest: dict, report: Any = None, controller: tuple[str, str, str] | None = None
) -> str:
    """The Pod as an accessible SVG image (``role="img"`` with a title and a description).

    ``controller``: ``(kind, name, summary)`` when the Pod is a workload's template; the
    drawing then says whose Pods these are and shows them as a stack.
    """
    manifest = as_dict(manifest)
    spec = as_dict(manifest.get("spec"))
    pod_name = shown_name(manifest) or "(unnamed)"
    entries: list[dict] = []
    order = 0
    for container in as_list(spec.get("initContainers")):
        if isinstance(container, dict):
            sidecar = container.get("restartPolicy") == "Always"
            order += 1
            entries.append(
                {"container": container, "role": "sidecar" if sidecar else "init", "order": order}
            )
    for container in as_list(spec.get("containers")):
        if isinstance(container, dict):
            entries.append({"container": container, "role": "app", "order": 0})
    volumes = [v for v in as_list(spec.get("volumes")) if isinstance(v, dict)]

    canvas = _Canvas()
    y = 44
    positions: dict[int, tuple[float, float]] = {}
    rows = (
        ("init", "Init containers: one after another, first"),
        ("sidecar", "Native sidecars: start first, keep running"),
        ("app", "App containers: run side by side"),
    )
    for role, heading in rows:
        members = [(i, entry) for i, entry in enumerate(entries) if entry["role"] == role]
        if not members:
            continue
        canvas.text(LEFT, y + 14, heading, "dg-row-label")
        y += LABEL_H
        for index, entry in members:
            positions[index] = (LEFT, y)
            _container_box(canvas, LEFT, y, entry)
            y += BOX_H + BOX_GAP
        y += ROW_GAP - BOX_GAP
    if not entries:
        canvas.text(LEFT, y + 14, "No containers yet: a Pod needs at least one.", "dg-row-label")
        y += LABEL_H + ROW_GAP

    # Volumes sit in a column on the right, so mount lines never cross a container.
    volume_at: dict[str, tuple[float, float]] = {}
    vy = 44
    if volumes:
        canvas.text(VOL_X, vy + 14, "Volumes", "dg-row-label")
        vy += LABEL_H
    for volume in volumes:
        name = _text(volume.get("name")) or "(no name)"
        kind = _volume_kind(volume)
        volume_at.setdefault(name, (VOL_X, vy))
        unsafe = kind == "hostPath"
        css = "dg-volume unsafe" if unsafe else "dg-volume"
        canvas.over.append(
            f'<g class="{css}"><title>volume {_e(name)}: {_e(kind)}'
            f"{' (unsafe: the node’s own files)' if unsafe else ''}</title>"
            f'<rect x="{VOL_X}" y="{vy}" width="{VOL_W}" height="{VOL_H}" rx="6" class="dg-vol" '
            f'fill="{"#fbe7e7" if unsafe else "#e8eefc"}" stroke="#8a94a3"/></g>'
        )
        canvas.text(VOL_X + 10, vy + 19, _short(name, 18), "dg-name")
        canvas.text(VOL_X + 10, vy + 36, _short(kind + (" ⚠" if unsafe else ""), 20), "dg-small")
        vy += VOL_H + BOX_GAP
    y = max(y, vy)

    mount_sentences = []
    for index, entry in enumerate(entries):
        container = entry["container"]
        cname = _text(container.get("name")) or "(no name)"
        mounts = [m for m in as_list(container.get("volumeMounts")) if isinstance(m, dict)]
        for number, mount in enumerate(mounts):
            vname = _text(mount.get("name"))
            read_only = mount.get("readOnly") is True
            mode = "read-only" if read_only else "read-write"
            where = _text(mount.get("mountPath"))
            mount_sentences.append(f"{cname} mounts {vname} at {where} {mode}")
            if vname not in volume_at or index not in positions:
                continue
            bx, by = positions[index]
            vx, vy = volume_at[vname]
            y1 = by + 36 + (number % 6) * 14
            css = "dg-mount ro" if read_only else "dg-mount rw"
            dash = ' stroke-dasharray="6 5"' if read_only else ""
            canvas.under.append(
                f'<line x1="{bx + BOX_W:g}" y1="{y1:g}" x2="{vx:g}" y2="{vy + VOL_H / 2:g}" '
                f'class="{css}" stroke="#2453c7" stroke-width="2"{dash}>'
                f"<title>{_e(cname)} → {_e(vname)}: {mode}</title></line>"
            )
            canvas.over.append(
                f'<circle cx="{bx + BOX_W:g}" cy="{y1:g}" r="3" fill="#2453c7" '
                'class="dg-mount-dot"/>'
            )

    height = y + 20
    counts = {
        role: sum(1 for e in entries if e["role"] == role) for role in ("init", "sidecar", "app")
    }
    names = {
        role: ", ".join(
            _text(e["container"].get("name")) or "(no name)" for e in entries if e["role"] == role
        )
        for role in counts
    }
    parts = []
    if counts["init"]:
        parts.append(f"{counts['init']} init container(s) run first, in order: {names['init']}.")
    if counts["sidecar"]:
        parts.append(f"{counts['sidecar']} native sidecar(s): {names['sidecar']}.")
    parts.append(f"{counts['app']} app container(s): {names['app'] or 'none'}.")
    if volumes:
        parts.append(
            "Volumes: "
            + ", ".join(
                f"{_text(v.get('name')) or '(no name)'} ({_volume_kind(v)})" for v in volumes
            )
            + "."
        )
    if mount_sentences:
        parts.append("; ".join(mount_sentences) + ".")
    qos = getattr(getattr(report, "qos", None), "qos_class", "")
    if getattr(report, "errors", None):
        qos = ""  # the page says "not checked until valid": so does the diagram
    title = f"Diagram of Pod {pod_name}" + (f", QoS class {qos}" if qos else "")
    heading = f"Pod {_e(_short(pod_name, 60))}"
    stack = ""
    inset = 0  # room for the stack behind the card
    if controller is not None:
        kind, owner, summary = controller
        owner_text = f"{kind} {owner or '(unnamed)'}"
        title = f"Diagram of the Pods of {owner_text} ({summary})" + (
            f", QoS class {qos}" if qos else ""
        )
        heading = f"Pods of {_e(_short(owner_text, 44))} · {_e(_short(summary, 28))}"
        if "1 replica" not in summary:
            # More than one Pod like this: two cards peek out behind the template.
            inset = 8
            stack = "".join(
                f'<rect x="{4 + offset}" y="{4 + offset}" width="{WIDTH - 8 - inset}" '
                f'height="{height - 8 - inset:g}" rx="12" class="dg-stack" fill="#eef0f3" '
                f'stroke="#a0aec0" stroke-width="1"/>'
                for offset in (8, 4)
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pod-diagram" role="img" '
        f'viewBox="0 0 {WIDTH} {height:g}" aria-labelledby="diagram-title diagram-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="diagram-title">{_e(title)}</title>'
        f'<desc id="diagram-desc">{_e(" ".join(parts))}</desc>'
        + stack
        + f'<rect x="4" y="4" width="{WIDTH - 8 - inset}" height="{height - 8 - inset:g}" rx="12" '
        f'class="dg-pod" fill="#f7f8fa" stroke="#4a5568" stroke-width="1.5"/>'
        f'<text x="{LEFT}" y="30" class="dg-title" font-size="15" font-weight="700">'
        f"{heading}</text>" + "".join(canvas.under) + "".join(canvas.over) + "</svg>"
    )
