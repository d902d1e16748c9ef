"""The one settings module, configured by environment variables.

DJANGO_ENV picks the mode: "production" (the default, so a deployment that
forgets to choose is locked down), "development" (what `make run` sets) or
"test" (chosen automatically under pytest).
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def envsecret(name: str) -> str:
    """A secret from NAME, or from the file that NAME_FILE points at."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    return Path(path).read_text().strip() if path else ""


DJANGO_ENV = os.environ.get("DJANGO_ENV") or ("test" if "pytest" in sys.modules else "production")
if DJANGO_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be production, development or test, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))
# Content beyond lessons (see studyapp/sources.py); each app adds its loader here.
CONTENT_SOURCES: list[str] = ["quizzes.sources.BankSource", "workbench.sources.ExerciseSource", "labs.sources.LabSource"]
# Functions that add figures to the progress dashboard (see studyapp/extensions.py).
PROGRESS_EXTRAS: list[str] = ["workbench.progress.summary", "labs.progress.summary"]
# Modules adding their part to a learner's data export (see studyapp/learner_data.py).
LEARNER_DATA_EXTRAS: list[str] = ["workbench.learner_data", "labs.learner_data"]
# Functions naming a learner's shared-cache entry that every page reads (user id -> key): fetched in the same Redis
# round trip as the signed-in user (studyapp/auth_backend.py).
READ_WITH_USER: list[str] = ["labs.progress.running_cache_key"]
# Functions that release what a learner holds outside the app before the account goes (see studyapp/tasks.py).
ACCOUNT_RELEASE_HOOKS: list[str] = ["labs.account.release_all"]
ACCOUNT_ACTIVE_RUNS_HOOKS: list[str] = ["labs.account.active_runs"]  # what the account deletion page lists as still running
QUIZZES_DIR = Path(os.environ.get("QUIZZES_DIR", BASE_DIR / "quizzes"))
# Committed lists that let check_content require more of the content over time (studyapp/ratchets.py).
CONTENT_RATCHETS_DIR = BASE_DIR / "ratchets"

DEBUG = envbool("DEBUG", default=False)


def _secret_key() -> str:
    key = envsecret("SECRET_KEY")
    if key and PRODUCTION and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")):
        raise ImproperlyConfigured("SECRET_KEY is too weak for production: use at least 50 random characters "
                                   "(python -c 'import secrets; print(secrets.token_urlsafe(50))').")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) to run in production mode.")
    # Development and tests: generate one key once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "studyapp",
    "quizzes",
    "labs",
    "workbench",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "studyapp.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "studyapp.board_cache.ForgetBoardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "studyapp.auth_backend.CachedUserBackend"]

if PRODUCTION:
    # Serves collected static files (`collectstatic`); development uses Django's own static view.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = os.environ.get("ROOT_URLCONF", "studyapp.urls")  # `make bench` adds its reference pages (bench/urls.py)
WSGI_APPLICATION = "studyapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "studyapp.template_engine.DjangoTemplates",  # numbers printed without a locale lookup
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL and a busy timeout let the web process and the worker write side by side.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # A file (not memory) so a real Celery worker in the tests can open the test database.
        config["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql" and envbool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server, so psycopg can prepare a query once it has run DATABASE_PREPARE_THRESHOLD times
        # on a connection: PostgreSQL then skips parsing and planning it. Off for a pooler that cannot keep prepared
        # statements (PgBouncer in transaction mode before 1.21).
        config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": envint("DATABASE_PREPARE_THRESHOLD", 5)}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Throttling. Log-in: after AXES_FAILURE_LIMIT wrong passwords for one account from one IP, that pair is locked
# out for AXES_COOLOFF_MINUTES. The other limits are "count/period" (s, m, h, d) per learner or per IP.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
THROTTLE_RATES = {
    "signup": os.environ.get("THROTTLE_SIGNUP", "5/h"),
    "password_reset_ip": os.environ.get("THROTTLE_PASSWORD_RESET_IP", "10/h"),
    "password_reset_email": os.environ.get("THROTTLE_PASSWORD_RESET_EMAIL", "3/h"),
    "lab_launch": os.environ.get("THROTTLE_LAB_LAUNCH", "10/h"),
    "sql_run": os.environ.get("THROTTLE_SQL_RUN", "60/m"),
}
LABS_MAX_RUNNING = envint("LABS_MAX_RUNNING", 2)  # lab runs one learner may have going at once
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_ENABLE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lessons"
LOGOUT_REDIRECT_URL = "landing"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# E-mail: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "studyapp@localhost")

# Production hardening; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
if PRODUCTION:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)  # domain-wide choices: check --deploy warns until set
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    if envbool("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
# Sessions are written to the database and read from the shared cache: no query per page, nothing lost if Redis restarts.
SESSION_ENGINE = "studyapp.session_store"  # cached_db with a one-statement write
SESSION_CACHE_ALIAS = "shared"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # learners study for weeks; keep them signed in

# Redis: the Celery broker and result store.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
# The rate-limit counters live in Redis so every web worker shares them (tests count in memory).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every web worker: sessions and signed-in users (studyapp/auth_backend.py), read on every page.
    "shared": {"BACKEND": "studyapp.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "shared"}
    if DJANGO_ENV != "test" else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
    "ratelimit": {"BACKEND": "studyapp.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ratelimit"}
    if DJANGO_ENV != "test" else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
# The queue tasks go to unless sent elsewhere; a set of workers given its own queue works in isolation (the scale-out test).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task whose worker died unacknowledged goes back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "submit-expired-mock-exams": {"task": "quizzes.tasks.submit_expired_mock_exams", "schedule": 60.0},
    "reap-expired-lab-runs": {"task": "labs.tasks.reap_expired_runs", "schedule": 60.0},
    "lab-runs-watchdog": {"task": "labs.tasks.watchdog", "schedule": 60.0},
    # Before health.SANDBOX_CACHE_SECONDS (30) runs out, so lab pages read the sandbox's state without probing it.
    "refresh-sandbox-services": {"task": "studyapp.tasks.refresh_sandbox_services", "schedule": 20.0},
}

# The SQL workbench: learner-supplied SQL runs in DuckDB under these limits.
WORKBENCH_EXERCISES_DIR = Path(os.environ.get("WORKBENCH_EXERCISES_DIR", BASE_DIR / "workbench" / "exercises"))
WORKBENCH_TIME_LIMIT_SECONDS = float(os.environ.get("WORKBENCH_TIME_LIMIT_SECONDS", "5"))
WORKBENCH_ROW_LIMIT = envint("WORKBENCH_ROW_LIMIT", 1000)
WORKBENCH_RESULT_BYTES = envint("WORKBENCH_RESULT_BYTES", 2 * 1024 * 1024)  # a result's size as JSON, shown or compared
WORKBENCH_MAX_RUNNING = envint("WORKBENCH_MAX_RUNNING", 4)  # workbench child processes on this host at once
WORKBENCH_MEMORY_LIMIT = os.environ.get("WORKBENCH_MEMORY_LIMIT", "256MB")

# The mock exam (the real one: 65 questions, 50 scored, 130 minutes); tests shorten it.
MOCK_EXAM_QUESTIONS = envint("MOCK_EXAM_QUESTIONS", 65)
MOCK_EXAM_SCORED = envint("MOCK_EXAM_SCORED", 50)
MOCK_EXAM_MINUTES = envint("MOCK_EXAM_MINUTES", 130)

# The embedded AWS sandbox (moto server); `make run` starts one and sets the URL.
AWS_SANDBOX_URL = os.environ.get("AWS_SANDBOX_URL", "")
# Learners reach the sandbox only through its gateway (studyapp/sandbox_gateway.py), which checks their signed key.
AWS_SANDBOX_GATEWAY_URL = os.environ.get("AWS_SANDBOX_GATEWAY_URL", "")
AWS_SANDBOX_REQUIRED = envbool("AWS_SANDBOX_REQUIRED", default=True)

# Labs: where the catalog lives, how long a run lives, how keys for stored AWS secrets are found.
LABS_CATALOG_DIR = Path(os.environ.get("LABS_CATALOG_DIR", BASE_DIR / "labs" / "catalog"))
LABS_RUN_MINUTES = envint("LABS_RUN_MINUTES", 120)
LABS_POLL_SECONDS = envint("LABS_POLL_SECONDS", 20)
LABS_TEARDOWN_ATTEMPTS = envint("LABS_TEARDOWN_ATTEMPTS", 10)
LABS_LAUNCH_TIMEOUT_MINUTES = envint("LABS_LAUNCH_TIMEOUT_MINUTES", 45)  # a launch stuck longer is failed and torn down
# A launch, check or teardown with no progress for this long has lost its task: the watchdog enqueues it again.
LABS_WATCHDOG_MINUTES = float(os.environ.get("LABS_WATCHDOG_MINUTES", "3"))
# The cost guard for paid labs in a learner's own account (the sandbox is never limited).
LABS_PAID_RUNS_PER_LEARNER = envint("LABS_PAID_RUNS_PER_LEARNER", 1)  # paid runs a learner may have at once
LABS_PAID_RUN_MAX_HOURS = envint("LABS_PAID_RUN_MAX_HOURS", 3)  # extensions stop here, counted from launch
LABS_MONTHLY_BUDGET_USD = float(os.environ.get("LABS_MONTHLY_BUDGET_USD", "0"))  # per learner and month; 0: no budget
LABS_TEARDOWN_BACKOFF_MAX_MINUTES = envint("LABS_TEARDOWN_BACKOFF_MAX_MINUTES", 60)  # retries of a teardown that gave up, doubling up to this
# The principal the assume-role template trusts (the IAM role or user this server runs as).
LABS_APP_PRINCIPAL_ARN = os.environ.get("LABS_APP_PRINCIPAL_ARN", "")
# Local AWS profiles are off unless the operator names the ones learners may use (never "default" by accident).
LABS_LOCAL_PROFILES = envlist("LABS_LOCAL_PROFILES", [])


def _encryption_keys() -> list[str]:
    """Fernet keys for stored AWS secrets, newest first: LABS_ENCRYPTION_KEYS, or var/labs_encryption_key.

    Not derived from SECRET_KEY, so a copy of the database and SECRET_KEY alone decrypts nothing. Development and
    tests generate the file once; production must be given a key.
    """
    keys = envlist("LABS_ENCRYPTION_KEYS", [k for k in [envsecret("LABS_ENCRYPTION_KEY")] if k])
    if keys:
        return keys
    key_file = VAR_DIR / "labs_encryption_key"
    if not key_file.exists():
        if PRODUCTION:
            raise ImproperlyConfigured("Set LABS_ENCRYPTION_KEYS (or LABS_ENCRYPTION_KEY_FILE), or put a Fernet key in "
                                       f"{key_file} (python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())').")
        from cryptography.fernet import Fernet

        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return [key.strip() for key in key_file.read_text().split(",") if key.strip()]


LABS_ENCRYPTION_KEYS = _encryption_keys()

# Which parts /healthz treats as required.
HEALTH_TIMEOUT_SECONDS = float(os.environ.get("HEALTH_TIMEOUT_SECONDS", "2"))
HEALTH_CACHE_SECONDS = float(os.environ.get("HEALTH_CACHE_SECONDS", "0" if DJANGO_ENV == "test" else "10"))
# With this token (Authorization: Bearer ...) /healthz also says which part failed and why; staff always see it.
HEALTHZ_TOKEN = envsecret("HEALTHZ_TOKEN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
