"""A county office's rule settings per scheme and year (the split rule's minimum UH share,
co-financing, the coordinator cap). Imported by partnerships/models.py, so they are models of
the partnerships app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import AccessQuerySet


class RuleSettingsQuerySet(AccessQuerySet):
    def visible_to(self, user):
        """The rule pages are the county office's: the same as editable_by."""
        return self.editable_by(user)

    def editable_by(self, user):
        offices = self.model._meta.get_field("county_office").related_model.objects
        return self.filter(county_office__in=offices.editable_by(user))


class RuleSettings(models.Model):
    """The rules of one county, scheme and year. Data, not code."""

    county_office = models.ForeignKey(
        "partnerships.CountyOffice", on_delete=models.CASCADE, related_name="rule_settings"
    )
    scheme = models.ForeignKey(
        "partnerships.Scheme", on_delete=models.PROTECT, verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    min_uh_share_percent = models.PositiveSmallIntegerField(
        _("minimum UH share (%)"),
        default=60,
        help_text=_("The lowest share of a need report's total that must go to UH."),
    )
    cofinancing_percent = models.PositiveSmallIntegerField(
        _("owner co-financing (%)"),
        null=True,
        blank=True,
        help_text=_("The owner's own contribution as a share of the grant it receives."),
    )
    coordinator_cap = models.PositiveBigIntegerField(
        _("cap on coordinator funds (kr)"),
        null=True,
        blank=True,
        help_text=_("The most a need report may ask for coordinator funds. Empty: no cap."),
    )

    objects = RuleSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "scheme__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_office", "scheme", "year"], name="unique_rule_settings"
            ),
            models.CheckConstraint(
                condition=Q(min_uh_share_percent__lte=100), name="min_uh_share_percent_lte_100"
            ),
            models.CheckConstraint(
                condition=Q(cofinancing_percent__isnull=True) | Q(cofinancing_percent__lte=100),
                name="cofinancing_percent_lte_100",
            ),
        ]
        verbose_name = _("rule settings")
        verbose_name_plural = _("rule settings")

    def __str__(self):
        return f"{self.county_office} – {self.scheme} – {self.year}"

    @classmethod
    def for_report(cls, county_office, scheme, year):
        """The settings in force; unsaved defaults when the county has set none."""
        # One row at most (unique): no ordering, so no join of the schemes for "scheme__order".
        found = (
            cls.objects.filter(county_office=county_office, scheme=scheme, year=year)
            .order_by()
            .first()
        )
        return found or cls(
            county_office_id=getattr(county_office, "pk", county_office),
            scheme_id=getattr(scheme, "pk", scheme),
            year=year,
        )


# The regional activity plan lives in its own module; imported here so Django registers it.
