from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

portal_patterns = [
    path("", views.dashboard, name="dashboard"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("partnerships/", include("partnerships.urls")),
    path("needs/", include("needs.urls")),
    path("needs/", include("needs.urls_measures")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
