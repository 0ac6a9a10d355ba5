"""Who a person is at a log-in provider, and invitations to a role.

A person who logs in through OpenID Connect is known by the provider's stable subject (its
`sub`, or the claim the provider is configured with), stored per provider: never by name, and
by e-mail only through an invitation (see accounts/services.py).
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import CountyOffice, Membership, Partnership
from portal import workflow
from portal.access import AccessQuerySet


class ExternalIdentityQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """A person's own bindings; every one for an administrator."""
        if not user.is_authenticated:
            return self.none()
        return self.all() if user.is_superuser else self.filter(user=user)

    def editable_by(self, user):
        """Only administrators remove a binding (the admin site)."""
        return self.all() if user.is_authenticated and user.is_superuser else self.none()


class ExternalIdentity(models.Model):
    """A user's subject at one OpenID Connect provider (the provider's name in OIDC_PROVIDERS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    provider = models.CharField(_("log-in provider"), max_length=50)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    created_at = models.DateTimeField(_("bound"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last log-in"), null=True, blank=True)

    objects = ExternalIdentityQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="unique_external_identity")
        ]
        verbose_name = _("log-in identity")
        verbose_name_plural = _("log-in identities")

    def __str__(self):
        return f"{self.user} – {self.provider}"


def hash_token(token):
    return hashlib.sha256(str(token).encode()).hexdigest()


class InvitationQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Invitations to the partnerships and county offices the user administers: their
        county's for a case officer, every one for an administrator."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(partnership__in=Partnership.objects.editable_by(user))
            | Q(county_office__in=CountyOffice.objects.editable_by(user))
        )

    def editable_by(self, user):
        """Whoever sees an invitation may withdraw it."""
        return self.visible_to(user)

    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())

    def with_token(self, token):
        return self.filter(token_hash=hash_token(token)) if token else self.none()


class Invitation(models.Model):
    """An e-mail invitation to a role. The invitee's first log-in through a provider with the
    invitation's link binds their identity to an account and gives it the role."""

    class Role(models.TextChoices):
        COORDINATOR = Membership.Role.COORDINATOR.value, Membership.Role.COORDINATOR.label
        UH_CONTACT = Membership.Role.UH_CONTACT.value, Membership.Role.UH_CONTACT.label
        OFFICER = workflow.OFFICER, _("Case officer")

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnership"),
    )
    county_office = models.ForeignKey(
        CountyOffice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county office"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="officer", county_office__isnull=False, partnership__isnull=True)
                    | (
                        Q(role__in=["coordinator", "uh_contact"])
                        & Q(partnership__isnull=False, county_office__isnull=True)
                    )
                ),
                name="invitation_role_has_its_place",
            )
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} – {self.get_role_display()} – {self.place}"

    @property
    def place(self):
        return self.county_office if self.role == self.Role.OFFICER else self.partnership

    @property
    def is_pending(self):
        return self.accepted_at is None and self.expires_at > timezone.now()

    def new_token(self):
        """A fresh secret for the invitation's link; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token
