"""The county office's side of need reports: the year's frame, what is allocated to each
measure, and the office's change log. Imported by needs/models.py, so they are models of the
needs app."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partnerships.models import CountyOffice, Scheme
from portal.access import AccessQuerySet
from portal.texts import LONG, text_field


class CountyWorkQuerySet(AccessQuerySet):
    """Rows that belong to a county office's own work (frames, the change log): seen and
    changed by its case officers and administrators."""

    def visible_to(self, user):
        return self.filter(county_office__in=CountyOffice.objects.editable_by(user))

    def editable_by(self, user):
        return self.visible_to(user)


class Frame(models.Model):
    """The year's frame (ramme) for a scheme in a county, and what earlier years committed."""

    county_office = models.ForeignKey(
        "partnerships.CountyOffice", on_delete=models.CASCADE, related_name="frames"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, verbose_name=_("scheme"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("frame (kr)"), default=0)
    # What earlier multi-year measures bind in this frame: the sum of its commitments
    # (Commitment), kept by needs.commitments.refresh_frames, never typed.
    committed = models.PositiveBigIntegerField(
        _("already committed to earlier multi-year measures (kr)"), default=0, editable=False
    )

    objects = CountyWorkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"], name="one_frame_per_county_scheme_year"
            ),
        ]
        verbose_name = _("frame")
        verbose_name_plural = _("frames")

    def __str__(self):
        return f"{self.county_office} – {self.scheme} {self.year}"

    @property
    def available(self):
        return self.amount - self.committed


class Allocation(models.Model):
    """What the county office allocates to one measure: owner part and UH part."""

    measure = models.OneToOneField(
        "measures.Measure", on_delete=models.CASCADE, related_name="allocation"
    )
    owner_amount = models.PositiveBigIntegerField(_("allocated to owner (kr)"), default=0)
    uh_amount = models.PositiveBigIntegerField(_("allocated to UH (kr)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_amount__gte=0) & Q(uh_amount__gte=0),
                name="allocation_not_negative",
            )
        ]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self):
        return f"{self.measure}: {self.owner_amount} + {self.uh_amount}"

    @property
    def total(self):
        return self.owner_amount + self.uh_amount


class AuditEntry(models.Model):
    """Who changed what and when: allocations, frames, exceptions, priorities and status."""

    report = models.ForeignKey(
        "needs.NeedReport", on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    county_office = models.ForeignKey(
        "partnerships.CountyOffice", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject = models.CharField(_("what"), max_length=300)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)

    objects = CountyWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject}"


class CommitmentQuerySet(CountyWorkQuerySet):
    def effective_total(self):
        """What the rows take from their frames: the adjusted amount where an officer set
        one, else the amount from the measure's estimate; nothing once released."""
        return self.aggregate(
            total=Sum(
                Case(
                    When(released_at__isnull=False, then=Value(0)),
                    default=Coalesce("adjusted_amount", "amount"),
                    output_field=models.PositiveBigIntegerField(),
                ),
                default=0,
            )
        )["total"]


class Commitment(models.Model):
    """What an allocated multi-year measure binds in a later year's frame of its county and
    scheme: its continuation estimate for that year (needs.commitments keeps the rows).

    A row without a measure holds what was typed by hand as "committed" before the register.
    """

    report = models.ForeignKey(
        "needs.NeedReport",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    county_office = models.ForeignKey(
        "partnerships.CountyOffice", on_delete=models.CASCADE, related_name="commitments"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, verbose_name=_("scheme"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("committed (kr)"), default=0)
    adjusted_amount = models.PositiveBigIntegerField(
        _("adjusted amount (kr)"), null=True, blank=True
    )
    adjustment_reason = text_field(_("reason for the adjustment"), blank=True, max_length=LONG)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = text_field(_("reason for the release"), blank=True, max_length=LONG)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["year", "report_id", "measure_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"], name="one_commitment_per_measure_and_year"
            ),
        ]
        indexes = [models.Index(fields=["county_office", "scheme", "year"])]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return f"{self.scheme} {self.year}: {self.effective_amount}"

    @property
    def effective_amount(self):
        if self.released_at is not None:
            return 0
        return self.amount if self.adjusted_amount is None else self.adjusted_amount
