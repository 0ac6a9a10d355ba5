import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the process. Keep
# it out of the garbage collector's full collections, which would otherwise walk all of it
# in the middle of requests (a few milliseconds each time; see docs/benchmarks.md).
gc.collect()
gc.freeze()
