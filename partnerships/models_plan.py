"""The regional activity plan (seeds 001 and 003): dated gatherings of a partnership, tied to
the measures that fund them, and the per-user secret tokens of the iCalendar feed.

Imported from partnerships/models.py so that Django finds the models in the app.
"""

import hashlib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import (
    AccessQuerySet,
    member_partnership_ids,
    officer_county_ids,
    partnership_ids_with_role,
)
from portal.texts import LONG, MEDIUM, SHORT, text_field
from portal.workflow import COORDINATOR, UH_CONTACT  # Membership.Role's values


def local_datetime(day, at=None):
    """An aware datetime in the portal's time zone (Europe/Oslo) from a date and a time."""
    return timezone.make_aware(datetime.combine(day, at or time.min))


class PlannedActivityQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """Everyone in the partnership, and the county office of its county."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = Q(partnership_id__in=member_partnership_ids(user))
        office_ids = officer_county_ids(user)
        if office_ids:
            visible |= Q(partnership__region__county_office_id__in=office_ids)
        return self.filter(visible)

    def editable_by(self, user):
        """Coordinators edit every activity of their partnership; a UH contact those they
        added (the county office only reads)."""
        if not user.is_authenticated:
            return self.none()
        coordinator_of = partnership_ids_with_role(user, COORDINATOR)
        uh_contact_of = partnership_ids_with_role(user, UH_CONTACT)
        return self.filter(
            Q(partnership_id__in=coordinator_of)
            | Q(partnership_id__in=uh_contact_of, created_by=user)
        )

    def overlapping(self, start, end):
        """Activities that take place (in part) on the days from `start` up to `end` (dates,
        end exclusive)."""
        return self.filter(starts_at__lt=local_datetime(end), ends_at__gte=local_datetime(start))


class PlannedActivity(models.Model):
    """A gathering in the regional activity plan: a network meeting, competence day, …"""

    class Kind(models.TextChoices):
        NETWORK_MEETING = "network_meeting", _("Network meeting")
        PROFESSIONAL_DAY = "professional_day", _("Professional day")
        COMPETENCE_DAY = "competence_day", _("Competence day")
        LEADER_MEETING = "leader_meeting", _("Leaders' gathering")
        SEMINAR = "seminar", _("Seminar")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="planned_activities",
        verbose_name=_("partnership"),
    )
    measures = models.ManyToManyField(
        "measures.Measure",
        related_name="planned_activities",
        blank=True,
        verbose_name=_("measures"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("all day"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online (e.g. Teams)"), default=False)
    theme = text_field(_("theme"), blank=True, max_length=MEDIUM)
    participants = text_field(_("target group / participants"), blank=True, max_length=SHORT)
    responsible = text_field(_("responsible"), blank=True, max_length=SHORT)
    preparation = text_field(_("preparation (reading, task)"), blank=True, max_length=MEDIUM)
    notes = text_field(_("notes"), blank=True, max_length=LONG)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # iCalendar SEQUENCE: raised on every change so that calendar programs take the update.
    sequence = models.PositiveIntegerField(default=0)

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="planned_activity_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["partnership", "starts_at"])]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan:detail", args=[self.pk])

    @property
    def start_date(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def end_date(self):
        """The last day of the activity (all-day activities store midnight of that day)."""
        return timezone.localtime(self.ends_at).date()

    @property
    def start_time(self):
        return None if self.all_day else timezone.localtime(self.starts_at).time()

    @property
    def end_time(self):
        return None if self.all_day else timezone.localtime(self.ends_at).time()

    @property
    def several_days(self):
        return self.end_date != self.start_date

    def days(self):
        """Every date the activity takes place on."""
        day = self.start_date
        while day <= self.end_date:
            yield day
            day += timedelta(days=1)


class CalendarFeedTokenQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """A feed address is its owner's alone: nobody else sees or revokes it, not even an
        administrator (the feed shows what its owner may see)."""
        return self.filter(user=user) if user.is_authenticated else self.none()

    def editable_by(self, user):
        return self.visible_to(user)

    def active(self):
        """Not revoked."""
        return self.filter(revoked_at__isnull=True)


class CalendarFeedToken(models.Model):
    """The secret in a user's calendar feed address. Only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self):
        return f"{self.user} – {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()
