from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import PortalLogoutView
from accounts.views_local import LocalLoginView

from . import views
from .login import LimitedPasswordResetView, UnlockingPasswordResetConfirmView

portal_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("accessibility/", views.accessibility, name="accessibility"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    # The log-in page: providers' buttons, the password form (limited) and its second factor.
    path("accounts/login/", LocalLoginView.as_view(), name="login"),
    # Password reset: a limit on mails per address, mail as a task, a reset lifts a lock.
    path("accounts/password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        UnlockingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
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
