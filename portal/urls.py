from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .login import RateLimitedLoginView

portal_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("accessibility/", views.accessibility, name="accessibility"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    # Our log-in view (a limit on failed attempts) before Django's auth views, which it shadows.
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("partnerships/", include("partnerships.urls")),
    path("activity-plan/", include("plans.urls")),
    path("needs/", include("needs.urls")),
    path("needs/", include("needs.urls_measures")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
