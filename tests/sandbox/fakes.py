"""Stand-ins for a misbehaving cluster: one that hangs, and one that answers slowly."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def kubeconfig_for(directory: Path, server: str) -> str:
    path = directory / "kubeconfig"
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters: [{{name: c, cluster: {{server: '{server}',\n"
        "  insecure-skip-tls-verify: true}}]\n"
        "users: [{name: u, user: {token: t}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    return str(path)


class HungCluster:
    """Accepts TCP connections and never answers: not a byte, not even a TLS handshake."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


class SlowCluster:
    """A plain-HTTP API server that takes ``delay`` seconds over every answer. It knows just
    enough to set up a learner namespace: it keeps namespaces and their annotations, and every
    other request succeeds."""

    def __init__(self, delay: float):
        self.delay = delay
        self.requests: list[str] = []
        self.namespaces: dict[str, dict] = {}  # name -> annotations
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                sent = json.loads(self.rfile.read(length) or b"{}")
                cluster.requests.append(f"{self.command} {self.path}")
                time.sleep(cluster.delay)
                status, body = cluster.answer(self.command, self.path.split("?")[0], sent)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting
                    pass

            do_GET = do_POST = do_PATCH = do_DELETE = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, method: str, path: str, sent: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if parts == ["api", "v1", "namespaces"] and method == "GET":
            return 200, {"items": []}
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) <= 4:
            name = parts[3] if len(parts) == 4 else sent.get("metadata", {}).get("name", "")
            annotations = sent.get("metadata", {}).get("annotations") or {}
            if method == "POST":
                self.namespaces[name] = dict(annotations)
                return 201, {}
            if name not in self.namespaces:
                return 404, {}
            if method == "PATCH":
                self.namespaces[name].update(annotations)
            metadata = {"name": name, "annotations": self.namespaces[name]}
            return 200, {"metadata": metadata, "status": {"phase": "Active"}}
        if "selfsubjectreviews" in path:
            return 201, {"status": {"userInfo": {"username": "system:serviceaccount:a:b"}}}
        if method == "GET" and "resourcequotas" in path:
            return 200, {"status": {"used": {"pods": "0"}}}
        return 200, {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
