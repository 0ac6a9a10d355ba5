from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import KronerField, VersionField
from portal.texts import LONG, SHORT


class RecommendationForm(forms.Form):
    """The forum's meeting date and general note (the priorities are PriorityFormSet's)."""

    version = VersionField()
    meeting_date = forms.DateField(
        label=_("Date of the forum's meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("A date, e.g. 15.03.2024.")},
    )
    note = forms.CharField(
        label=_("The forum's recommendation in general"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeRequestForm(forms.Form):
    """The change request's reason; the measures' lines are ChangeLineForm's."""

    version = VersionField()
    reason = forms.CharField(
        label=_("Why the change is needed"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeLineForm(forms.Form):
    """One measure as the change request proposes it."""

    alloc_owner = KronerField(label=_("Allocated owner"), required=False)
    alloc_uh = KronerField(label=_("Allocated UH"), required=False)
    name = forms.CharField(label=_("Name of the measure"), max_length=300)
    target_group = forms.CharField(
        label=_("Target group"),
        required=False,
        max_length=SHORT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    spring_this_year = forms.BooleanField(label=_("Spring"), required=False)
    autumn_this_year = forms.BooleanField(label=_("Autumn"), required=False)
    spring_next_year = forms.BooleanField(label=_("Spring next year"), required=False)
    cont1_owner = KronerField(label=_("Continuation next year, owner"), required=False)
    cont1_uh = KronerField(label=_("Continuation next year, UH"), required=False)
