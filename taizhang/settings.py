"""Settings for Taizhang. Everything that varies between installations comes from the
environment (see README "Configuration"); a malformed value stops the start."""

import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from taizhang.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("TAIZHANG_HOME", str(Path.cwd()))).resolve()


def _secret_key() -> str:
    key = env_str("TAIZHANG_SECRET_KEY")
    if key:
        return key
    # A local install keeps a generated key beside its database, so sessions survive restarts.
    path = DATA_DIR / ".taizhang-secret"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("TAIZHANG_DEBUG", False)
ALLOWED_HOSTS = env_list("TAIZHANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("TAIZHANG_CSRF_TRUSTED_ORIGINS", [])
# Behind HTTPS (the production settings the README documents): secure cookies, HSTS and a
# redirect from plain HTTP. TAIZHANG_BEHIND_PROXY trusts the proxy's X-Forwarded-Proto.
HTTPS = env_bool("TAIZHANG_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("TAIZHANG_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("TAIZHANG_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("TAIZHANG_HSTS_PRELOAD", False)
# An office's intranet host is not for the browsers' HSTS preload list; ask for it with
# TAIZHANG_HSTS_PRELOAD=1 on a public host.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("TAIZHANG_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A session ends after this many hours without a request (each request renews it).
SESSION_COOKIE_AGE = env_int("TAIZHANG_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No inline script runs: page behaviour lives in static files (static/taizhang/*.js).
# Inline style attributes stay allowed (chart heights, progress bars); they run no code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "treebeard",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "taizhang.audit",
    "taizhang.orgs",
    "taizhang.jobs",
    "taizhang.campaigns",
    "taizhang.ledger",
    "taizhang.study",
    "taizhang.research",
    "taizhang.office",
    "taizhang.stats",
    "taizhang.bulletins",
    "taizhang.ingest",
    "taizhang.api",
    "taizhang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "taizhang.replicas.ReadOnlyRequestMiddleware",
    "taizhang.middleware.DatabaseUnavailableMiddleware",
    "taizhang.middleware.NulByteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "taizhang.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "taizhang.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taizhang.urls"
WSGI_APPLICATION = "taizhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SOURCE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "taizhang.orgs.context.scope",
                "taizhang.office.context.inbox",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Dashboard queries run in milliseconds; PostgreSQL's JIT compiler, set off by their
        # cost estimates, would spend hundreds compiling them.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "taizhang.sqlite3",
            # WAL: pages read while the background worker writes a large import.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # The test database is a file, not shared memory: a background worker in its
            # own thread or process writes beside the web server, which SQLite's
            # shared-cache memory database does not allow.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
REPLICAS = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection that died (the server restarted) is noticed when a request starts, not
    # by the request's first query.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Read replicas: read-only requests read from the first one that answers and has not
    # fallen further behind than TAIZHANG_REPLICA_MAX_LAG_SECONDS (taizhang/replicas.py).
    for _n, _url in enumerate(env_list("TAIZHANG_REPLICA_URLS", []), start=1):
        try:
            _replica = dj_database_url.parse(_url, conn_max_age=60)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TAIZHANG_REPLICA_URLS: not a database address: {exc}"
            ) from None
        if _replica["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("TAIZHANG_REPLICA_URLS: replicas are PostgreSQL servers")
        _replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
        _replica["CONN_HEALTH_CHECKS"] = True
        _replica["TEST"] = {"MIRROR": "default"}
        DATABASES[f"replica{_n}"] = _replica
        REPLICAS.append(f"replica{_n}")
elif env_str("TAIZHANG_REPLICA_URLS"):
    raise ImproperlyConfigured("TAIZHANG_REPLICA_URLS needs a PostgreSQL DATABASE_URL")
REPLICA_MAX_LAG_SECONDS = env_int("TAIZHANG_REPLICA_MAX_LAG_SECONDS", 5, minimum=0)
DATABASE_ROUTERS = ["taizhang.replicas.ReplicaRouter"] if REPLICAS else []
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A second connection for a background job's progress, so that the rows it has written
    # show while its transaction is still open. (SQLite has one writer at a time: there,
    # progress stops while a job writes and jumps when it commits.)
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (large imports and exports) runs in the background: the django-tasks backport
# with its database backend, so no other server is needed. `taizhang serve` and `taizhang
# demo` start a worker beside the web server; `taizhang worker` runs one on its own.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMPORT_BACKGROUND_BYTES = env_int("TAIZHANG_IMPORT_BACKGROUND_KB", 256, minimum=0) * 1024
EXPORT_BACKGROUND_ROWS = env_int("TAIZHANG_EXPORT_BACKGROUND_ROWS", 5000, minimum=0)
# A bulletin for a subtree of more organisations than this is written in the background.
BULLETIN_BACKGROUND_ORGS = env_int("TAIZHANG_BULLETIN_BACKGROUND_ORGS", 20_000, minimum=0)
# A worker that has not been heard from for this long is taken for dead (on another host;
# on this host its process is looked at).
WORKER_STALE_SECONDS = env_int("TAIZHANG_WORKER_STALE_SECONDS", 60, minimum=5)

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "taizhang.orgs.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("TAIZHANG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("TAIZHANG_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TAIZHANG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# ECharts is installed from the npm registry by scripts/setup.sh (package-lock.json pins it).
STATICFILES_DIRS = [SOURCE_DIR / "static", ("echarts", SOURCE_DIR / "node_modules/echarts/dist")]
# Assets are served by the app itself from their source folders: no CDN, no collect step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

UPLOAD_MAX_BYTES = env_int("TAIZHANG_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
# A notice's or a reply's attachments: each at most this large, at most this many.
ATTACHMENT_MAX_BYTES = env_int("TAIZHANG_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
ATTACHMENT_MAX_FILES = 5
# A course's video, audio or PDF: at most this large.
COURSE_MAX_BYTES = env_int("TAIZHANG_COURSE_MAX_MB", 200, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file
# An uploaded workbook is refused before it is read when it unpacks to more than this, or
# its data sheet has more rows than an import takes.
UPLOAD_MAX_UNPACKED_BYTES = env_int("TAIZHANG_UPLOAD_MAX_UNPACKED_MB", 100, minimum=1) * 2**20
IMPORT_MAX_ROWS = env_int("TAIZHANG_IMPORT_MAX_ROWS", 200_000, minimum=1)
PAGE_SIZE = env_int("TAIZHANG_PAGE_SIZE", 50, minimum=5)

_api_rate = env_str("TAIZHANG_API_RATE", "600/min")
if not re.fullmatch(r"[1-9]\d{0,6}/(s|sec|m|min|h|hour|d|day)", _api_rate):
    raise ImproperlyConfigured(f"TAIZHANG_API_RATE must read like 600/min, not {_api_rate!r}")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "taizhang.api.auth.TokenAuthentication",
        "taizhang.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["taizhang.api.auth.ApiAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["taizhang.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": _api_rate},
    "DEFAULT_PAGINATION_CLASS": "taizhang.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "taizhang.api.errors.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Taizhang API",
    "DESCRIPTION": "The work ledger's REST API: records, figures, gap lists and bulletins of "
    "your scope. Send a token as `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActivitySourceEnum": "taizhang.ledger.models.Source",
        "ProblemSourceEnum": "taizhang.research.models.ProblemSource",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "taizhang.api.schema.document_errors",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TAIZHANG_LOG_LEVEL", "WARNING")},
}
