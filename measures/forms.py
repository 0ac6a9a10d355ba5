from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import MONEY_MESSAGES, KronerField, VersionField, style_fields, yes_no_field
from portal.money import MAX_KRONER

from .amounts import (
    AMOUNT_FIELDS,
    BUDGET_FIELDS,
    CONTINUATION_FIELDS,
    amount_ceiling_problem,
    amount_label,
    reason_label,
)
from .models import NARRATIVE_FIELDS, Measure


class MeasureForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Measure
        fields = [
            "name",
            "owner_amount",
            "uh_amount",
            "purpose",
            *NARRATIVE_FIELDS,
            "coordinator_funds_needed",
            "coordinator_amount",
            "coordinator_justification",
            "spring_this_year",
            "autumn_this_year",
            "spring_next_year",
            "cont1_owner",
            "cont1_owner_reason",
            "cont1_uh",
            "cont1_uh_reason",
            "cont2_owner",
            "cont2_owner_reason",
            "cont2_uh",
            "cont2_uh_reason",
            "cont3_owner",
            "cont3_owner_reason",
            "cont3_uh",
            "cont3_uh_reason",
            "target_group",
        ]
        widgets = {
            "purpose": forms.RadioSelect,
            "cont1_owner_reason": forms.Textarea(attrs={"rows": 2}),
            "cont1_uh_reason": forms.Textarea(attrs={"rows": 2}),
            "cont2_owner_reason": forms.Textarea(attrs={"rows": 2}),
            "cont2_uh_reason": forms.Textarea(attrs={"rows": 2}),
            "cont3_owner_reason": forms.Textarea(attrs={"rows": 2}),
            "cont3_uh_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, year, max_amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_amount = max_amount
        for name in BUDGET_FIELDS:
            label = self.fields[name].label
            self.fields[name] = KronerField(label=label, empty_value=0)
        for name in [*CONTINUATION_FIELDS, "coordinator_amount"]:
            self.fields[name] = KronerField(label=self.fields[name].label)
        self.fields["purpose"].choices = Measure.Purpose.choices
        self.fields["coordinator_funds_needed"] = yes_no_field(
            Measure._meta.get_field("coordinator_funds_needed").verbose_name
        )
        self.fields["spring_this_year"].label = _("Spring %(year)s") % {"year": year}
        self.fields["autumn_this_year"].label = _("Autumn %(year)s") % {"year": year}
        self.fields["spring_next_year"].label = _("Spring %(year)s") % {"year": year + 1}
        for name in CONTINUATION_FIELDS:
            self.fields[name].label = amount_label(name, year)
            self.fields[f"{name}_reason"].label = reason_label(f"{name}_reason", year)
        self.fields["version"].initial = self.instance.lock_version
        style_fields(self)

    def _get_validation_exclusions(self):
        # The amounts' check constraints (not negative, not absurd) are KronerField's own rule,
        # checked above, and PostgreSQL enforces them: Model.validate_constraints would ask the
        # database once more per constraint on every autosave (measure_save turns a violation
        # into a field message all the same).
        return super()._get_validation_exclusions() | set(BUDGET_FIELDS)

    def clean(self):
        cleaned = super().clean()
        for name in AMOUNT_FIELDS:
            problem = amount_ceiling_problem(cleaned.get(name), self.max_amount)
            if problem:
                self.add_error(name, problem)
        return cleaned

    def refused_by_database(self, values):
        """After the database refused `values` (IntegrityError from the amounts' check
        constraints, which `_get_validation_exclusions` leaves to it): the message next to each
        amount out of range. False when no amount explains the refusal."""
        refused = False
        for name in BUDGET_FIELDS:
            value = values.get(name)
            if value is not None and not 0 <= value <= MAX_KRONER:
                self.add_error(name, MONEY_MESSAGES["negative" if value < 0 else "too_large"])
                refused = True
        return refused

    # The page's groups of fields, in the form's order (a template loop over every field
    # with a name test cost 2 ms).
    def narrative_fields(self):
        return [self[name] for name in NARRATIVE_FIELDS]

    def continuation_fields(self):
        return [self[name] for name in self.fields if name.startswith("cont")]
