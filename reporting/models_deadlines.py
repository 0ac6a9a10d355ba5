"""Deadlines as data, per county office, scheme and year (need reports, the samarbeidsforum's
recommendation, annual reports), and a record of every reminder sent (never twice).

Imported from reporting/models.py so Django registers the models in the `reporting` app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import CountyOffice, Partnership
from portal.access import AccessQuerySet


class DeadlineQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The case officers of the county and the members of its partnerships."""
        if not user.is_authenticated:
            return self.none()
        member_offices = Partnership.objects.member_of(user).values("region__county_office")
        return self.filter(
            Q(county_office__in=CountyOffice.objects.editable_by(user))
            | Q(county_office__in=member_offices)
        )

    def editable_by(self, user):
        """The county office's case officers (and administrators)."""
        return self.filter(county_office__in=CountyOffice.objects.editable_by(user))


class Deadline(models.Model):
    class Kind(models.TextChoices):
        NEED_REPORT = "need_report", _("Need reports")
        FORUM_RECOMMENDATION = "forum_recommendation", _("The forum's recommendation")
        ANNUAL_REPORT = "annual_report", _("Annual reports")

    county_office = models.ForeignKey(
        CountyOffice,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("county office"),
    )
    scheme = models.ForeignKey(
        "partnerships.Scheme", on_delete=models.PROTECT, verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("what is due"), max_length=30, choices=Kind.choices)
    due_date = models.DateField(_("deadline"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year", "kind"],
                name="one_deadline_per_county_scheme_year_kind",
            )
        ]
        indexes = [models.Index(fields=["due_date"])]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self):
        return f"{self.county_office} {self.scheme} {self.year}: {self.get_kind_display()}"


class ReminderSentQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The county office's case officers see what was sent for its deadlines."""
        return self.filter(deadline__in=Deadline.objects.editable_by(user))

    def editable_by(self, user):
        return self.none()


class ReminderSent(models.Model):
    """One reminder of one deadline to one person, `days_before` the deadline: what went to
    whom. The unique constraint makes a second run (or two at once) send nothing again."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    days_before = models.SmallIntegerField(_("days before the deadline"))
    email = models.EmailField(_("e-mail"))
    reports = models.TextField(_("concerning"), blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = ReminderSentQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "days_before"], name="one_reminder_per_step"
            )
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return f"{self.deadline} -> {self.email} ({self.days_before})"
