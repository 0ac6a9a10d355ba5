"""WSGI entry point for `manage.py bench`: the portal, plus /__hello__ for comparison.

    gunicorn reporting.bench_wsgi:application

Same settings, middleware and pages as `portal.wsgi`; only the urlconf differs
(`reporting.bench_urls`), so the hello-world view pays the full middleware stack.
"""

from django.conf import settings

from portal.wsgi import application

settings.ROOT_URLCONF = "reporting.bench_urls"

__all__ = ["application"]
