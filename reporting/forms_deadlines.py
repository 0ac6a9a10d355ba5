from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Scheme

from .models_deadlines import Deadline


class DeadlineForm(forms.ModelForm):
    """A deadline of a county office, scheme and year; saving one that exists changes its
    date (reporting.deadlines.deadline_set)."""

    class Meta:
        model = Deadline
        fields = ["county_office", "scheme", "year", "kind", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, county_offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county_office"].queryset = county_offices
        self.fields["scheme"].queryset = Scheme.objects.all()
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["year"].help_text = _("The year of the need reports.")

    def _get_validation_exclusions(self):
        """An existing deadline is changed, not refused as a duplicate: the unique
        constraint (county office, scheme, year, kind) is left to deadline_set."""
        return super()._get_validation_exclusions() | {"kind"}
