from django.conf import settings
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


class SubmittedVersion(models.Model):
    """An immutable snapshot of something submitted (version 1, 2, …): need reports and
    annual reports. Subclasses add the foreign key to what was submitted."""

    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submitted version is immutable.")
        super().save(*args, **kwargs)


class PasswordResetRequest(models.Model):
    """One request for a password-reset link, for the limit per address and hour
    (portal.login). The address is stored only as a digest; rows older than an hour go."""

    address = models.CharField(max_length=64, db_index=True)  # SHA-256 of the casefolded e-mail
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.address[:12]}… {self.created_at:%Y-%m-%d %H:%M}"
