"""WSGI entry point for `manage.py bench`: the portal, plus /__hello__ for comparison.

    gunicorn bench.wsgi:application

Same settings, middleware and pages as `portal.wsgi`; only the urlconf differs
(`bench.urls`), so the hello-world view pays the full middleware stack.
"""

from django.conf import settings

from portal.wsgi import application

settings.ROOT_URLCONF = "bench.urls"

__all__ = ["application"]
