from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Log-in")

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.decorators import login_required

        # The admin's own password form would skip the second factor and the switch that turns
        # passwords off: /admin/ sends people to our log-in page instead (django-otp's advice).
        admin.site.login = login_required(admin.site.login)
