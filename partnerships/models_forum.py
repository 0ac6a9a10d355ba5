"""The samarbeidsforum's members and the declared ties (forvaltningsloven § 6) of its
members and the case officers. Imported by partnerships/models.py, so they are models of
the partnerships app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet, forum_county_ids, officer_county_ids


class ForumMembership(models.Model):
    """A member of a county's samarbeidsforum: reads the county's submitted need reports and
    comments on them; decides nothing."""

    county_office = models.ForeignKey(
        "partnerships.CountyOffice",
        on_delete=models.CASCADE,
        related_name="forum_memberships",
        verbose_name=_("county office"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_memberships",
        verbose_name=_("user"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county_office", "user"], name="unique_forum_member")
        ]
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")

    def __str__(self):
        return f"{self.user} – {self.county_office}"


class TieQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Your own ties; a case officer also those of the forum members and case officers
        of their county offices (to record who stepped aside); administrators all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        offices = officer_county_ids(user)
        if not offices:
            return self.filter(user=user)
        return self.filter(
            Q(user=user)
            | Q(user__forum_memberships__county_office_id__in=offices)
            | Q(user__county_offices__in=offices)
        ).distinct()

    def editable_by(self, user):
        """Only the one who declared it: forum members and case officers."""
        if not user.is_authenticated:
            return self.none()
        if not (user.is_superuser or officer_county_ids(user) or forum_county_ids(user)):
            return self.none()
        return self.filter(user=user)

    def touching(self, partnership):
        """The ties to a partnership, to its owners or to its UH partners."""
        return self.filter(
            Q(partnership=partnership)
            | Q(organisation__in=partnership.owners.all())
            | Q(organisation__in=partnership.uh_partners.all())
        )


class Tie(models.Model):
    """A declared tie of a forum member or case officer to an organisation or partnership
    (employed there, on its board, a close relative in its management, …)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ties",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnership"),
    )
    description = models.CharField(
        _("the tie"),
        max_length=300,
        help_text=_("E.g. employed there, board member, close family in its management."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TieQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(partnership__isnull=True))
                | (Q(organisation__isnull=True) & Q(partnership__isnull=False)),
                name="tie_to_one_party",
            )
        ]
        verbose_name = _("declared tie")
        verbose_name_plural = _("declared ties")

    def __str__(self):
        return f"{self.user}: {self.party} ({self.description})"

    @property
    def party(self):
        return self.organisation or self.partnership
