"""Settings for Kompetanseportalen, read from environment variables.

Defaults are safe for trying the portal: DEBUG off unless DEBUG=1, SQLite in the
project folder unless DATABASE_URL is set, e-mail to the console.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# With DEBUG off and no SECRET_KEY the key stays empty: Django refuses to sign anything with
# it, and the server (portal/wsgi.py) refuses to start. Commands that sign nothing, such as
# `makemigrations --check`, still run without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "partnerships",
    "needs",
    "measures",
    "reporting",
    "accounts",  # log-in: OpenID Connect providers, invitations, second factor
    "bench",  # management commands only: `manage.py bench`, `manage.py loadtest`
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "portal.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivateCacheMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Last: turns a log-in that django-axes refused into our log-in page (HTTP 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "django.template.context_processors.i18n",
                "portal.context_processors.roles",
                "portal.context_processors.section",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A request waits at most this long for a row another request has locked, then gives up:
    # portal.workflow turns that into "someone else is saving this report, try again".
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c lock_timeout=5s"
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run`: writers queue for the database lock (an autosave and a "Save" at once)
    # instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
# django-axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = [
    "portal.login.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.OIDCSessionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords (ModelBackend, first: the test client's force_login uses it) and sessions made by
# an OpenID Connect log-in (accounts/backends.py: it authenticates nothing itself).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Oslo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
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
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# crispy-forms renders through our own pack for Designsystemet (templates/ds_forms/).
CRISPY_ALLOWED_TEMPLATE_PACKS = ("ds_forms",)
CRISPY_TEMPLATE_PACK = "ds_forms"

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# The portal's address as users reach it, for links in e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The portal's name in mail (the password-reset mail names it, not the host it was asked on).
SITE_NAME = os.environ.get("SITE_NAME", "Kompetanseportalen")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kompetanseportalen <noreply@localhost>")
# The footer's contact address, and the published accessibility statement (uustatus.no), if any.
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "kompetanseportalen@statsforvalteren.no")
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "")
# A mail server that does not answer fails the mail task (retried), never a request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Background work (mail, bulk PDF exports, reminders): django-tasks with its database backend;
# `manage.py db_worker` runs the tasks (started by `make run` and compose's worker service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Sessions and security. Cookies are secure unless DEBUG is on (plain-HTTP local use).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Trusted only when configured: the header a TLS proxy in front of the portal sets (and
# strips from what clients send), e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto.
_PROXY_SSL_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True  # our scripts post the form's own token, never the cookie
# Uploads: no request body above MAX_REQUEST_SIZE (portal.middleware, 413); forms that take
# files check their own, smaller limits. Form fields: the allocation page posts three fields
# per measure of a page of reports (its formset), which can pass Django's default of 1 000.
MAX_REQUEST_SIZE = int(os.environ.get("MAX_REQUEST_SIZE", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Log-in: at most LOGIN_FAILURE_LIMIT failed attempts per username and address, then that
# username is refused from that address for LOGIN_FAILURE_WINDOW seconds (portal/login.py).
# django-axes counts in the database: one count for all workers, kept over restarts.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", str(15 * 60)))
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "portal.login.failure_limit"
AXES_COOLOFF_TIME = "portal.login.cool_off"
AXES_USERNAME_CALLABLE = "portal.login.axes_username"
AXES_CLIENT_IP_CALLABLE = "portal.login.client_address"
AXES_LOCKOUT_CALLABLE = "portal.login.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Locks are lifted by a password reset or `manage.py axes_reset_username`; no admin pages.
AXES_ENABLE_ADMIN = False
# Password-reset mails: at most this many requests per e-mail address per hour (counted in the
# database whether or not the address belongs to anyone, so the answer reveals nothing).
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "3"))
# Behind a proxy that appends the client's address to a header, name it (X-Forwarded-For).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# Log-in through OpenID Connect (ID-porten, Ansattporten, Feide; README): OIDC_PROVIDERS names
# the providers, OIDC_<NAME>_<KEY> configures each (accounts/providers.py reads them).
OIDC_PROVIDER_KEYS = (
    "ISSUER",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "SCOPES",
    "LABEL",
    "NAME",
    "SUBJECT_CLAIM",
    "ACR_VALUES",
    "ACCEPTED_ACR",
)
OIDC_PROVIDERS = {
    name.lower(): {
        key.lower(): os.environ.get(f"OIDC_{name.upper()}_{key}", "") for key in OIDC_PROVIDER_KEYS
    }
    for name in env_list("OIDC_PROVIDERS")
}
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
# Passwords stay for the demo and as a fallback; an administrator turns them off here. Case
# officers and administrators who log in by password give a one-time code (TOTP) as well,
# unless LOCAL_LOGIN_OTP is off (it is with DEBUG, so that `make run` logs in with "demo").
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
LOCAL_LOGIN_OTP = env_bool("LOCAL_LOGIN_OTP", not DEBUG)
OTP_TOTP_ISSUER = "Kompetanseportalen"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kompetanseportalen",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
