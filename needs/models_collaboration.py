"""The collaboration on a need report or its annual report: comments, read marks, the UH
confirmation (written only by needs/collaboration.py) and the activity feed. Imported by
needs/models.py, so they are models of the needs app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.amounts import amount_label
from portal.access import AccessQuerySet
from portal.money import format_kroner
from portal.texts import COMMENT, text_field


def _about_annual_report(related_name):
    """Set on a row about an annual report (`report` is then its need report)."""
    return models.ForeignKey(
        "reporting.AnnualReport", models.CASCADE, null=True, blank=True, related_name=related_name
    )


class CommentQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The comments of the need reports and annual reports the user sees."""
        reports = self.model.report.field.related_model.objects.visible_to(user)
        annuals = self.model.annual_report.field.related_model.objects.visible_to(user)
        return self.filter(report__in=reports).filter(
            Q(annual_report__isnull=True) | Q(annual_report__in=annuals)
        )

    def editable_by(self, user):
        """Authors edit and delete their own comments (not once deleted)."""
        if not user.is_authenticated:
            return self.none()
        return self.visible_to(user).filter(author=user, deleted_at__isnull=True)


class Comment(models.Model):
    """A comment on a need report, or on one of its measures (measure set).

    Deleting keeps the row (deleted_at set) so the thread shows that a comment was removed;
    the text stays in the database for the record but is no longer shown.
    """

    report = models.ForeignKey(
        "needs.NeedReport", on_delete=models.CASCADE, related_name="comments"
    )
    annual_report = _about_annual_report("comments")
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("measure"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = text_field(_("comment"), max_length=COMMENT)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["report", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_report__isnull=True) | Q(measure__isnull=True),
                name="annual_report_comment_without_measure",
            )
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author}: {self.text[:50]}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class CommentRead(models.Model):
    """When a user last read a report's comments: newer comments by others are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("needs.NeedReport", on_delete=models.CASCADE, related_name="+")
    annual_report = _about_annual_report("+")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "report"],
                condition=Q(annual_report__isnull=True),
                name="one_comment_read_per_report",
            ),
            models.UniqueConstraint(
                fields=["user", "annual_report"],
                condition=Q(annual_report__isnull=False),
                name="one_comment_read_per_annual_report",
            ),
        ]

    def __str__(self):
        return f"{self.user} read {self.report} at {self.last_read_at:%Y-%m-%d %H:%M}"


class UhConfirmation(models.Model):
    """'UH har sett behovsmeldingen og bekrefter sin del' (of a need report), or the UH's
    confirmation of what it used (of an annual report), for one version of it.

    `version_number` is the submitted version it is for (the next one when given);
    `amounts` is what the amounts were when confirmed ({measure id: [amounts]}), so any change
    is noticed even if it did not come through the form. A change of amounts clears it
    (cleared_*).
    """

    report = models.ForeignKey(
        "needs.NeedReport", on_delete=models.CASCADE, related_name="uh_confirmations"
    )
    annual_report = _about_annual_report("uh_confirmations")
    version_number = models.PositiveIntegerField(_("version"))
    amounts = models.JSONField(default=dict)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"number": 5, "measure": "Pedagogisk analyse", "field": "owner_amount", "old": 1, "new": 2}]
    # field "" means the measure was deleted.
    cleared_changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        verbose_name = _("UH confirmation")
        verbose_name_plural = _("UH confirmations")

    def __str__(self):
        return f"{self.report} v{self.version_number}: {self.confirmed_by}"

    @property
    def is_cleared(self):
        return self.cleared_at is not None

    def change_lines(self):
        """The reason it was cleared, one translated line per changed amount."""
        year = self.report.year
        lines = []
        for change in self.cleared_changes:
            measure = _("Measure %(number)s “%(name)s”") % {
                "number": change.get("number") or "?",
                "name": change.get("measure") or _("(unnamed measure)"),
            }
            field = change.get("field")
            if not field:
                lines.append(_("%(measure)s was deleted.") % {"measure": measure})
                continue
            lines.append(
                _("%(measure)s: %(field)s changed from %(old)s to %(new)s.")
                % {
                    "measure": measure,
                    "field": _("used by UH (kr)")
                    if field == "uh_used"
                    else amount_label(field, year),
                    "old": format_kroner(change.get("old")) or "–",
                    "new": format_kroner(change.get("new")) or "–",
                }
            )
        return lines


class Activity(models.Model):
    """The activity feed of a report: who did what, and when. Shown to all who see the report.

    (AuditEntry is the county office's own change log of its decisions; this is the shared one.)
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("created the need report")
        DETAILS_EDITED = "details_edited", _("edited contacts, co-determination and units")
        MEASURE_ADDED = "measure_added", _("added a measure")
        MEASURE_EDITED = "measure_edited", _("edited a measure")
        MEASURE_DELETED = "measure_deleted", _("deleted a measure")
        COMMENTED = "commented", _("commented")
        CONFIRMED = "confirmed", _("confirmed the UH part")
        CONFIRMATION_CLEARED = "confirmation_cleared", _("changed amounts: UH confirmation cleared")
        SUBMITTED = "submitted", _("submitted the need report")
        RETURNED = "returned", _("returned the need report for changes")
        ALLOCATED = "allocated", _("allocated funds")
        REJECTED = "rejected", _("rejected the need report")

    report = models.ForeignKey(
        "needs.NeedReport", on_delete=models.CASCADE, related_name="activity"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices)
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    measure_name = models.CharField(_("measure"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["report", "-at"])]
        verbose_name = _("activity")
        verbose_name_plural = _("activity")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.kind}"
