"""Django settings for Self-Assess.

Everything that differs between a laptop, a small council server and a national host
comes from environment variables, each named after the setting it sets (README.md lists
them all); the defaults suit `make run` on one machine.
"""

import base64
import hashlib
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Everything this process creates (the SQLite database and its -wal and -shm files, the
# secret key, stored PDFs, backups, collected static files, nginx's and gunicorn's run
# directory) is readable and writable by its owner only. Set here because every entry
# point (manage.py, gunicorn's workers, the tests) reads these settings before it writes.
os.umask(0o077)

# Names used before this release, still read (with a warning) until the next one.
OLD_NAMES = {
    "SECRET_KEY": "DJANGO_SECRET_KEY",
    "DEBUG": "DJANGO_DEBUG",
    "ALLOWED_HOSTS": "DJANGO_ALLOWED_HOSTS",
    "HTTPS_ONLY": "DJANGO_SECURE",
    "SECURE_HSTS_PRELOAD": "DJANGO_HSTS_PRELOAD",
    "STATIC_MANIFEST": "DJANGO_STATIC_MANIFEST",
    "VAR_DIR": "SELFASSESS_VAR_DIR",
}


def env(name: str, default: str | None = None) -> str | None:
    """The environment variable `name`, or its name before this release (with a warning
    that says what to set instead), or `default`."""
    if name in os.environ:
        return os.environ[name]
    old = OLD_NAMES.get(name)
    if old and old in os.environ:
        warnings.warn(
            f"The environment variable {old} is deprecated and will stop working in the "
            f"next release: set {name} instead.",
            FutureWarning,
            stacklevel=2,
        )
        return os.environ[old]
    return default


def _env_flag(name: str, default: bool = False) -> bool:
    return (env(name) or ("1" if default else "0")).lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env("VAR_DIR") or REPO_DIR / "var")


def _private_var_dir() -> None:
    """var/ holds the database, the key and stored reports: its owner's alone, including
    a var/ made before this rule (other users then cannot open anything inside it)."""
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    if VAR_DIR.stat().st_uid == os.geteuid() and VAR_DIR.stat().st_mode & 0o077:
        VAR_DIR.chmod(0o700)


_private_var_dir()


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept under var/."""
    if key := env("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
    "selfassess.core",
    "selfassess.background",
    "selfassess.accounts",
    "selfassess.frameworks",
    "selfassess.councils",
    "selfassess.assessments",
    "selfassess.plans",
    "selfassess.interchange",
    "selfassess.reports",
    "selfassess.feedback",
    "selfassess.audit",
    "selfassess.benchmarks",
    "selfassess.host",
    "selfassess.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "selfassess.core.middleware.NoStoreWhenSignedIn",
    "selfassess.core.middleware.IdleTimeoutMiddleware",
    "selfassess.councils.middleware.RequireTwoFactorForAdmins",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "selfassess.urls"
WSGI_APPLICATION = "selfassess.wsgi.application"

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
                "selfassess.core.context_processors.product",
                "selfassess.core.context_processors.session_timer",
            ],
        },
    }
]

# SQLite under var/ by default; DATABASE_URL (postgres://...) for PostgreSQL.
if database_url := env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "selfassess.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write
                # lock at the start of a transaction so concurrent saves queue instead of
                # failing half-way; the timeout is how long a save waits for that lock.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too, so they run with the same WAL and locking behaviour;
            # one per process, so two test runs on one machine do not share a database.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 for new and changed passwords; older hashes still verify and are upgraded.
PASSWORD_HASHERS = [
    "selfassess.accounts.hashers.Argon2OWASPHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email and password sign-in; accounts are created by council admins,
# never by open sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "selfassess.accounts.adapter.AccountAdapter"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A password reset for an address without an account sends nothing (allauth would invite
# the reader to sign up, and sign-up is closed); the page says the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Sign-in attempts are limited in the shared cache, so that failures for made-up
# addresses can never lock a real person out (the design: accounts.adapter.AccountAdapter):
ACCOUNT_RATE_LIMITS = {
    # failed sign-ins per address tried, whether or not it has an account (brute force);
    "login_failed": "5/5m/key",
    # failed sign-ins per client address, counting only addresses that have an account
    # (password spraying); our own key, read by the adapter;
    "login_failed_account": "10/m/ip",
    # every sign-in attempt per client address, right or wrong: a flood guard far above
    # what the people of one office do, bounding the password hashing one address causes.
    "login": "120/m/ip",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Two-factor authentication: an authenticator app (TOTP) with recovery codes. Required for
# council admins (councils.middleware.RequireTwoFactorForAdmins), available to everyone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Self-Assess"
MFA_RECOVERY_CODE_COUNT = 10
MFA_ADAPTER = "selfassess.accounts.adapter.MFAAdapter"
MFA_FORMS = {"activate_totp": "selfassess.accounts.forms.SteadyActivateTOTPForm"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "workspace:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "workspace:home"

# SMTP when EMAIL_HOST is set. Without it, `make run` (DEBUG) prints emails to the
# console; a production server refuses to send rather than print invitation and survey
# links (which carry tokens) into its output.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "selfassess.core.mail.NoMailServerBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Self-Assess <no-reply@localhost>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or REPO_DIR / "staticfiles")
# `make serve` collects static files with hashed names (STATIC_MANIFEST=1), each also
# gzipped (core/storage.py), and its nginx serves them from STATIC_ROOT with far-future
# caching (deploy/nginx/). WhiteNoise serves them the same way to a server run without
# that nginx; elsewhere files are served as they are.
if _env_flag("STATIC_MANIFEST"):
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "selfassess.core.storage.GzipManifestStaticFilesStorage"},
    }
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Only GOV.UK Frontend's fonts-free assets (icons, images); its script is copied
    # into static/build by make, and its Sass is compiled into app.css.
    ("govuk/assets", REPO_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"),
]

# One cache for every gunicorn worker (and every server on the same database), so that
# per-address limits (survey code entries, allauth's sign-in limits) count once, not once
# per worker process. `manage.py createcachetable` makes its table (make run and make
# serve run it; the test runner makes it itself).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "selfassess_cache",
    },
    # Rendered PDF downloads (reports/pdf.py), kept a day, on disk, out of the database.
    "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("REPORT_CACHE_DIR", str(VAR_DIR / "report-cache")),
        "TIMEOUT": 26 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": int(env("REPORT_CACHE_ENTRIES", "200"))},
    },
}

# The background queue (Huey): email, PDF renders, sealing rounds, retention, reminders.
# One machine: an SQLite file under VAR_DIR, no server. A bigger host: REDIS_URL, and as
# many consumers (`manage.py run_huey`) on as many machines as it needs.
REDIS_URL = env("REDIS_URL")
QUEUE_NAME = env("QUEUE_NAME", "selfassess")
HUEY = {
    "name": QUEUE_NAME,
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    # Run each task at once in the caller, with no consumer: only tests about something
    # else use it (tests/conftest.py); the queue's own tests run the real consumer.
    "immediate": _env_flag("QUEUE_IMMEDIATE"),
    "results": False,
    "utc": True,
    **(
        {"url": REDIS_URL}
        if REDIS_URL
        else {"filename": env("QUEUE_SQLITE_PATH", str(VAR_DIR / "queue.sqlite3"))}
    ),
    "consumer": {
        "workers": int(env("QUEUE_WORKERS", "2")),
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
        "health_check_interval": 10,
    },
}
# Email goes through the outbox (background.mail): each message is tried again with
# back-off until it is accepted or MAIL_ATTEMPTS tries fail; a message being sent is held
# for MAIL_LEASE_SECONDS, after which a message whose consumer died is sent again.
MAIL_ATTEMPTS = int(env("MAIL_ATTEMPTS", "6"))
MAIL_RETRY_SECONDS = int(env("MAIL_RETRY_SECONDS", "60"))
MAIL_LEASE_SECONDS = int(env("MAIL_LEASE_SECONDS", "120"))


def _trusted_proxies() -> int:
    value = (env("TRUSTED_PROXIES") or "0").strip()
    if not value.isdigit():
        raise ImproperlyConfigured("TRUSTED_PROXIES must be a whole number: 0, 1, 2 ...")
    return int(value)


# How many proxies stand between the internet and the application server, each adding
# the address it was reached from to X-Forwarded-For: 0 (nothing in front; the header is
# ignored), 1 (`make serve`'s own nginx), 2 (a load balancer in front of that nginx).
# Sign-in limits, the survey code's limit and the audit log read the client's address
# through core.client.client_ip.
TRUSTED_PROXIES = _trusted_proxies()

SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "selfassess.core.sessions"  # database sessions, expiry dated by the idle timer
# The cookie lasts until the browser closes, however someone signed in (allauth's sign-in
# does this too; accepting an invitation signs in through Django's own login()).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed-in sessions end after this many idle minutes (each request restarts the clock).
SESSION_COOKIE_AGE = 60 * int(env("SESSION_IDLE_MINUTES", "30"))
SESSION_REFRESH_SECONDS = 120  # core.middleware.IdleTimeoutMiddleware
# The timeout warning (static/js/timeout-warning.js) opens this long before the session
# ends; what someone types after it has ended is kept for them (core/kept.py).
SESSION_WARNING_SECONDS = 120
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS in production (HTTPS_ONLY=1): secure cookies, HSTS, redirect to HTTPS.
HTTPS_ONLY = _env_flag("HTTPS_ONLY")
if HTTPS_ONLY:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Asks browsers' preload lists to know the host is HTTPS-only; SECURE_HSTS_PRELOAD=0
    # for a host whose parent domain cannot commit to that.
    SECURE_HSTS_PRELOAD = _env_flag("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# GOV.UK Frontend styles a page for JavaScript by two classes on <body>. This one inline
# script (templates/base.html, through the `body_classes_script` tag) sets them before
# the page first draws, as GOV.UK Frontend's own page template does; set later, by a
# script file, they collapse the phone menu after the page is on screen and the page
# jumps. The policy allows this script, and no other inline one, by its SHA-256 hash.
BODY_CLASSES_SCRIPT = (
    'document.body.classList.add("js-enabled");'
    'if ("noModule" in HTMLScriptElement.prototype) '
    'document.body.classList.add("govuk-frontend-supported");'
)
BODY_CLASSES_SCRIPT_HASH = (
    "'sha256-"
    + base64.b64encode(hashlib.sha256(BODY_CLASSES_SCRIPT.encode()).digest()).decode()
    + "'"
)

# No inline scripts or styles anywhere but the one above: everything comes from our own
# origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", BODY_CLASSES_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

PRODUCT_NAME = "Self-Assess"
# How long an invitation link to join a council works.
INVITATION_DAYS = int(env("INVITATION_DAYS", "7"))
# The address people reach the site at, for links in emails (survey invitations).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Survey results are shown only once this many councillors invited personally have
# answered (answers through the shared link are included then, but do not count).
SURVEY_MIN_RESPONSES = int(env("SURVEY_MIN_RESPONSES", "5"))
# Councillors' comments are shown word for word only once this many councillors invited
# personally have answered.
SURVEY_MIN_RESPONSES_FOR_COMMENTS = int(
    env("SURVEY_MIN_RESPONSES_FOR_COMMENTS", str(2 * SURVEY_MIN_RESPONSES))
)
# The shared link: code entries allowed per address per hour, and tickets per round.
# Councillors in one building share an address, so the limit is generous.
SURVEY_TICKETS_PER_HOUR = int(env("SURVEY_TICKETS_PER_HOUR", "200"))
SURVEY_SHARED_MAX = int(env("SURVEY_SHARED_MAX", "2000"))
# Councillors' free-text comments and answers about their own experience of abuse are
# deleted this many months after their round closes (`manage.py apply_retention`, daily).
SURVEY_RETENTION_MONTHS = int(env("SURVEY_RETENTION_MONTHS", "24"))
# Audit log entries about sign-ins (with the address they came from) are kept this long;
# entries about a council's data are kept as long as the council.
AUDIT_RETENTION_MONTHS = int(env("AUDIT_RETENTION_MONTHS", "24"))
# Benchmarks, for a national host (benchmarks/): off on a council's own server. On, councils
# may share their agreed assessments, the summary page compares a council with councils
# like it, /benchmarks/ publishes the national tables and a snapshot is published monthly.
BENCHMARKS = _env_flag("BENCHMARKS")
# A group of councils is shown only with at least K + 1 councils in it, so that a council
# in it never faces fewer than K others (benchmarks/disclosure.py); never below 3.
BENCHMARK_K = int(env("BENCHMARK_K", "5"))
if BENCHMARK_K < 3:
    raise ImproperlyConfigured("BENCHMARK_K must be at least 3")
# Only a council's latest agreed assessment counts, if it was agreed this recently.
BENCHMARK_WINDOW_MONTHS = int(env("BENCHMARK_WINDOW_MONTHS", "24"))
if BENCHMARK_WINDOW_MONTHS < 1:
    raise ImproperlyConfigured("BENCHMARK_WINDOW_MONTHS must be at least 1")
# The longest evidence a single statement accepts, in characters (docs/formats.md).
EVIDENCE_MAX_LENGTH = 10_000
EVIDENCE_MAX_LINKS = 10
# Importing a completed toolkit (interchange): the largest file accepted, in bytes, and
# the most a Word or Excel file (a zip archive) may unpack to. A larger upload is
# dropped as it arrives, never written to disk, and the page says why.
IMPORT_MAX_BYTES = int(env("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(env("IMPORT_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024)))
# The form fields of one request, files apart. The import's preview posts all 25
# statements' evidence at once (25 x 10,000 characters, percent-encoded), more than
# Django's 2.5 MB default allows in the worst case.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Survey links carry the councillor's token in the path: never write it to a log.
    "filters": {"survey_links": {"()": "selfassess.core.logging.RedactSurveyLinks"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["survey_links"]},
    },
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
