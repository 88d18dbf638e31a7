"""Pod Studio settings, read from the environment.

Defaults are safe for production (DEBUG off, secure cookies when not debugging); `make run`
sets DEBUG for local work. Bad values fail loudly at start-up instead of being guessed at.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from podstudio.engine.schema import UnknownVersionError, resolve_version

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def stored_secret_key(path: Path) -> str:
    """A random key kept in ``path``, made on first start: every worker and every restart of an
    unconfigured server signs sessions with the same key, and no key is ever built in."""
    import secrets
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written aside, then linked into place: workers starting together all read one key.
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(handle.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(handle.name)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it or set SECRET_KEY")
    return key


SECRET_KEY = env_str("SECRET_KEY") or stored_secret_key(BASE_DIR / "var" / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "podstudio",
    "podstudio.builder",
    "lessons",
    "classrooms",
]

MIDDLEWARE = [
    "podstudio.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "podstudio.middleware.PrivatePagesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.common.CommonMiddleware",
    "podstudio.middleware.LocalTimeZoneMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "podstudio.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "podstudio.creation_limits.CreationLimitMiddleware",
]

ROOT_URLCONF = "podstudio.urls"
WSGI_APPLICATION = "podstudio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "podstudio.context_processors.site",
                "classrooms.context_processors.classroom",
            ],
            "libraries": {
                "sandbox": "podstudio.sandbox.templatetags",
                "frames": "podstudio.frames",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'podstudio.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database's folder (var/ by default) is made whatever else is configured.
    database_file = Path(str(DATABASES["default"]["NAME"]))
    if str(database_file) != ":memory:":
        database_file.parent.mkdir(parents=True, exist_ok=True)
    # Autosave writes on every keystroke: WAL lets readers and one writer work side by side, and
    # IMMEDIATE transactions wait for the write lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Learners have no accounts: progress and designs hang off a long-lived session.
SESSION_ENGINE = "podstudio.sessions"
MESSAGE_STORAGE = "podstudio.messagestore.LatestMessagesStorage"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 180
# `manage.py podstudio_cleanup` deletes designs untouched for this many days.
PODSTUDIO_RETENTION_DAYS = env_int("PODSTUDIO_RETENTION_DAYS", 180)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "podstudio.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# The header the reverse proxy writes the client's address into (X-Real-IP, X-Forwarded-For):
# rate limits on joining, signing in and creating count per client, not per proxy. Empty:
# REMOTE_ADDR.
PODSTUDIO_TRUSTED_PROXY_HEADER = env_str("PODSTUDIO_TRUSTED_PROXY_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"

# Instructors are Django users (staff or the group "instructors"); learners have no accounts.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/classrooms/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Request bodies: a manifest (and so a saved design) is at most 1 MiB; a request body, uploads
# included, at most PODSTUDIO_MAX_REQUEST_BYTES, refused from its Content-Length before it is
# read. A reverse proxy in front should refuse the same (nginx: client_max_body_size 2m).
PODSTUDIO_MAX_REQUEST_BYTES = env_int("PODSTUDIO_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = PODSTUDIO_MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = PODSTUDIO_MAX_REQUEST_BYTES
# A whole-form submit of a large design posts a few fields per container, port, variable...
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# What one client address may store (podstudio/creation_limits.py), per window of
# PODSTUDIO_CREATION_LIMIT_SECONDS; 0: no limit. Sized for a class of 300 behind one NAT address
# in an hour's workshop: 3000 designs are ten each (an exercise started, a pattern, an import, a
# copy); 1000 joins are three such classes (a join comes once: rejoining and joining again are
# not counted); 1000 new browsers (each browser's first action makes its learner) are three per
# learner. All 300 joining and starting an exercise within one minute stays far below. A script
# is held to these per hour; the proxy's limit_req (README) is the second line.
PODSTUDIO_CREATION_LIMIT_SECONDS = env_int("PODSTUDIO_CREATION_LIMIT_SECONDS", 60 * 60)
PODSTUDIO_NEW_DESIGNS_PER_ADDRESS = env_int("PODSTUDIO_NEW_DESIGNS_PER_ADDRESS", 3000)
PODSTUDIO_JOINS_PER_ADDRESS = env_int("PODSTUDIO_JOINS_PER_ADDRESS", 1000)
PODSTUDIO_NEW_LEARNERS_PER_ADDRESS = env_int("PODSTUDIO_NEW_LEARNERS_PER_ADDRESS", 1000)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles"))
# Production serves what `collectstatic` wrote: names with a content hash (cached for a year by
# WhiteNoise), compressed copies beside them. Development and the test suite serve the source
# folders as they are.
STATIC_HASHED = env_bool("STATIC_HASHED", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_HASHED

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "podstudio.logs.WithoutClientTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Kubernetes version whose OpenAPI schema validates Pods (default: the newest shipped).
try:
    PODSTUDIO_K8S_VERSION = resolve_version(env_str("PODSTUDIO_K8S_VERSION") or None)
except UnknownVersionError as exc:
    raise ImproperlyConfigured(f"PODSTUDIO_K8S_VERSION: {exc}") from None

# Sandbox cluster (optional): see README, "Sandbox cluster".
PODSTUDIO_SANDBOX_KUBECONFIG = env_str("PODSTUDIO_SANDBOX_KUBECONFIG")
PODSTUDIO_SANDBOX_CONTEXT = env_str("PODSTUDIO_SANDBOX_CONTEXT")
# Pod Security level enforced in each learner's namespace (warn is always "restricted").
# An instructor's own lessons (folders like lessons/content), shown after the shipped ones.
PODSTUDIO_CONTENT_DIRS = env_list("PODSTUDIO_CONTENT_DIRS")
PODSTUDIO_SANDBOX_ENFORCE = env_str("PODSTUDIO_SANDBOX_ENFORCE", "baseline")
if PODSTUDIO_SANDBOX_ENFORCE not in ("privileged", "baseline", "restricted"):
    raise ImproperlyConfigured(
        "PODSTUDIO_SANDBOX_ENFORCE must be privileged, baseline or restricted, "
        f"got {PODSTUDIO_SANDBOX_ENFORCE!r}"
    )
# Seconds to wait for the cluster's answer before telling the learner it is too slow.
PODSTUDIO_SANDBOX_TIMEOUT = env_int("PODSTUDIO_SANDBOX_TIMEOUT", 5)
# After a request to the cluster timed out, requests fail at once for this many seconds (0: never).
PODSTUDIO_SANDBOX_COOLDOWN_SECONDS = env_int("PODSTUDIO_SANDBOX_COOLDOWN_SECONDS", 10)
# Requests waiting on the cluster at once, per server process (0: no limit); by default half the
# threads gunicorn.conf.py gives each worker, so a slow cluster never takes them all.
PODSTUDIO_SANDBOX_CONCURRENCY = env_int(
    "PODSTUDIO_SANDBOX_CONCURRENCY", max(1, env_int("PODSTUDIO_THREADS", 8) // 2)
)
# `podstudio sandbox gc` deletes learner namespaces idle for longer than this many seconds.
PODSTUDIO_SANDBOX_IDLE_SECONDS = env_int("PODSTUDIO_SANDBOX_IDLE_SECONDS", 2 * 60 * 60)
# At most this many learner namespaces (0: no cap). When full, namespaces idle for at least
# PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS are deleted, oldest first, to make room.
PODSTUDIO_SANDBOX_MAX_NAMESPACES = env_int("PODSTUDIO_SANDBOX_MAX_NAMESPACES", 300)
PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS = env_int("PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS", 900)
# `gc` removes the finalizers of a learner Pod whose deletion is overdue by this many seconds.
PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS = env_int("PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS", 60)
# Per learner and minute: dry runs, applies and deletes; status and log reads (the panel polls
# the status every 2 s while open, 30 a minute).
PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE = env_int("PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE", 30)
PODSTUDIO_SANDBOX_READS_PER_MINUTE = env_int("PODSTUDIO_SANDBOX_READS_PER_MINUTE", 120)
for _name, _minimum in (
    ("PODSTUDIO_SANDBOX_TIMEOUT", 1),
    ("PODSTUDIO_SANDBOX_COOLDOWN_SECONDS", 0),
    ("PODSTUDIO_SANDBOX_CONCURRENCY", 0),
    ("PODSTUDIO_SANDBOX_IDLE_SECONDS", 0),
    ("PODSTUDIO_SANDBOX_MAX_NAMESPACES", 0),
    ("PODSTUDIO_SANDBOX_RECLAIM_AFTER_SECONDS", 0),
    ("PODSTUDIO_SANDBOX_FINALIZER_GRACE_SECONDS", 0),
    ("PODSTUDIO_SANDBOX_ACTIONS_PER_MINUTE", 1),
    ("PODSTUDIO_SANDBOX_READS_PER_MINUTE", 1),
    ("PODSTUDIO_CREATION_LIMIT_SECONDS", 1),
    ("PODSTUDIO_NEW_DESIGNS_PER_ADDRESS", 0),
    ("PODSTUDIO_JOINS_PER_ADDRESS", 0),
    ("PODSTUDIO_NEW_LEARNERS_PER_ADDRESS", 0),
):
    if globals()[_name] < _minimum:
        raise ImproperlyConfigured(f"{_name} must be at least {_minimum}, got {globals()[_name]}")
