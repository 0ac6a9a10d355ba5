"""The samarbeidsforum's recommendation (innstilling) for a county, scheme and year, and who
stepped aside from which report because of a declared tie. The priority and the note per
report are the report's own `priority` and `priority_note`. Imported by needs/models.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import CountyOffice, Scheme
from portal.access import AccessQuerySet
from portal.texts import LONG, text_field


class ForumRecommendationQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The county office's case officers and the members of its samarbeidsforum."""
        offices = CountyOffice.objects.editable_by(user) | CountyOffice.objects.forum_of(user)
        return self.filter(county_office__in=offices)

    def editable_by(self, user):
        """The case officers record it (the forum recommends; it decides nothing)."""
        return self.filter(county_office__in=CountyOffice.objects.editable_by(user))


class ForumRecommendation(models.Model):
    county_office = models.ForeignKey(
        CountyOffice, on_delete=models.CASCADE, related_name="forum_recommendations"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, verbose_name=_("scheme"))
    year = models.PositiveSmallIntegerField(_("year"))
    meeting_date = models.DateField(_("date of the forum's meeting"), null=True, blank=True)
    note = text_field(_("the forum's recommendation in general"), blank=True, max_length=LONG)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)

    objects = ForumRecommendationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"],
                name="one_recommendation_per_county_scheme_year",
            )
        ]
        verbose_name = _("forum recommendation")
        verbose_name_plural = _("forum recommendations")

    def __str__(self):
        return f"{self.county_office} – {self.scheme} {self.year}"


class Recusal(models.Model):
    """Someone who stepped aside from a report (inhabilitet), and why: recorded with the
    recommendation from the declared ties of the forum's members and the case officers."""

    recommendation = models.ForeignKey(
        ForumRecommendation, on_delete=models.CASCADE, related_name="recusals"
    )
    report = models.ForeignKey("needs.NeedReport", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "report", "user"], name="one_recusal_per_report_user"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="recusal_has_reason"),
        ]
        verbose_name = _("stepped aside")
        verbose_name_plural = _("stepped aside")

    def __str__(self):
        return f"{self.user} – {self.report}: {self.reason}"
