import gc
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
if not settings.SECRET_KEY:  # (Django itself refuses to read an empty key)
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# What is loaded by now (Django, the apps, their modules) lives as long as the process. Keep
# it out of the garbage collector's full collections, which would otherwise walk all of it
# in the middle of requests (a few milliseconds each time; see docs/benchmarks.md).
gc.collect()
gc.freeze()
