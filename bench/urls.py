"""The portal's URLs plus /__hello__, a minimal Django view: the benchmark's baseline.

Only `bench.wsgi` uses this urlconf; the portal itself never serves /__hello__.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("__hello__", hello, name="bench_hello"), *portal_urlpatterns]
