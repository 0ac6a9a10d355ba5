from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Roles are memberships (see partnerships.models)."""

    phone = models.CharField(_("phone"), max_length=30, blank=True)
    muted_notifications = models.JSONField(_("notifications turned off"), default=list, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_portal_admin(self):
        return self.is_superuser
