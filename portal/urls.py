from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import PortalLogoutView
from accounts.views_local import LocalLoginView

from . import views

portal_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    # Our log-in view (a limit on failed attempts) before Django's auth views, which it shadows.
    path("accounts/login/", LocalLoginView.as_view(), name="login"),
    # Log-out that goes on to the provider after a log-in through OpenID Connect (accounts/).
    path("accounts/logout/", PortalLogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("partnerships/", include("partnerships.urls")),
    path("activity-plan/", include("plans.urls")),
    path("needs/", include("needs.urls")),
    path("needs/", include("needs.urls_measures")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
