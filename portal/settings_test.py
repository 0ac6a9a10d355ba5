"""Test settings: the real settings with a test key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The second factor for local log-ins is tested on its own (tests/accounts); elsewhere tests
# log officers in by password alone.
os.environ.setdefault("LOCAL_LOGIN_OTP", "0")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

import warnings  # noqa: E402

# Tests serve static files through the finders; there is no collected STATIC_ROOT.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# A test database of our own per run, so parallel runs (a developer and CI, or two
# terminals) on one PostgreSQL server never fight over "test_postgres".
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_portal_{os.getpid()}"}  # noqa: F405

# Tests load the demo on their throwaway database with DEBUG off (manage.py demo refuses
# that elsewhere unless given --force).
DEMO_WITHOUT_DEBUG = True
