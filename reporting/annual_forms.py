"""Forms of the annual report: they parse and validate, nothing else."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.forms import KronerField, VersionField, style_fields

from .annual_models import AnnualMeasure, AnnualReport


class AnnualReportForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = AnnualReport
        fields = ["unused_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.lock_version
        style_fields(self)


class AnnualMeasureForm(forms.ModelForm):
    """One measure: amounts used (whole kroner, never negative) and the evaluation."""

    class Meta:
        model = AnnualMeasure
        fields = ["owner_used", "uh_used", "effect", "process", "structure", "plan_changes"]

    def __init__(self, *args, multi_year=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner_used", "uh_used"):
            label = capfirst(AnnualMeasure._meta.get_field(name).verbose_name)
            self.fields[name] = KronerField(label=label)
        if not multi_year:
            del self.fields["plan_changes"]
        style_fields(self)


class DeadlineForm(forms.Form):
    due_date = forms.DateField(
        label=_("Deadline for the annual reports"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
