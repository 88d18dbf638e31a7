"""gunicorn settings for production (README, "Production deployment").

Threads in every worker: a request waiting on the sandbox cluster (up to
PODSTUDIO_SANDBOX_TIMEOUT seconds) holds one thread, never a whole worker, so pages and
/healthz keep answering while a cluster hangs. Values come from the environment.
"""

import os

bind = os.environ.get("PODSTUDIO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2)))
worker_class = "gthread"
threads = int(os.environ.get("PODSTUDIO_THREADS", "8"))
timeout = 30  # a worker silent for this long is restarted
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
# Request line and headers are bounded by gunicorn; bodies by Django (DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
backlog = 2048
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
