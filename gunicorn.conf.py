"""gunicorn settings for production (README, "Production deployment").

Threads in every worker: a request waiting on the sandbox cluster (up to
PODSTUDIO_SANDBOX_TIMEOUT seconds) holds one thread, never a whole worker, so pages and
/healthz keep answering while a cluster hangs. Values come from the environment.
"""

import gc
import os

bind = os.environ.get("PODSTUDIO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2)))
worker_class = "podstudio.serving.SharingThreadWorker"
threads = int(os.environ.get("PODSTUDIO_THREADS", "8"))
timeout = 30  # a worker silent for this long is restarted
graceful_timeout = 20
keepalive = 5
# Load the app once in the master and fork the workers from it: a worker recycled below starts
# in milliseconds with Django and the engine's schemas already imported, instead of spending a
# second of CPU importing them while its share of requests wait.
preload_app = True
# Recycle workers now and then, so a slow leak can never grow without bound. A recycled worker
# is forked warm (``when_ready`` below), so a restart costs its queued requests nothing.
max_requests = 20000
max_requests_jitter = 2000
# Request line and headers are bounded by gunicorn; bodies by Django (DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
backlog = 2048
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


# The garbage collector: a full collection walks every object a worker holds (Django, the
# engine's schemas: 60,000 once loaded, over 100,000 after the first pages) and costs 30 to
# 60 ms of CPU, holding up every thread of the worker; a class grid refresh with 300 learners
# costs a fifth of that. What the worker loads is kept for its whole life, so it is frozen (out
# of the collector's sight) once loaded, and again once the first requests have loaded the
# rest. What loading left as garbage is collected first, so none of it is kept for good.
FREEZE_AFTER_REQUESTS = 200


def when_ready(server) -> None:
    """Before the first fork: render what every worker renders once (``podstudio.warmup``),
    then freeze it in the master, so every worker, recycled ones included, starts warm."""
    from podstudio.warmup import warm_process
    from podstudio.wsgi import application

    try:
        missed = warm_process(application)
    except Exception:  # a warm-up that fails leaves the workers cold, never the site down
        server.log.exception("warm-up failed")
        missed = []
    if missed:
        server.log.warning("warm-up: %s did not answer 200", ", ".join(missed))
    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp) -> None:
    if worker.nr >= FREEZE_AFTER_REQUESTS and not getattr(worker, "warm_frozen", False):
        worker.warm_frozen = True
        gc.collect()
        gc.freeze()
