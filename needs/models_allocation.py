"""The county office's side of need reports: the year's frame, what is allocated to each
measure, and the office's change log. Imported by needs/models.py, so they are models of the
needs app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import CountyOffice, Scheme
from portal.access import AccessQuerySet


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
    committed = models.PositiveBigIntegerField(
        _("already committed to earlier multi-year measures (kr)"), default=0
    )

    objects = CountyWorkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"], name="one_frame_per_county_scheme_year"
            ),
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("amount")), name="committed_within_frame"
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
