from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Partnership


class TieForm(forms.Form):
    """A tie to one organisation or one partnership, and what the tie is."""

    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), required=False, label=_("Organisation")
    )
    partnership = forms.ModelChoiceField(
        Partnership.objects.none(), required=False, label=_("Partnership")
    )
    description = forms.CharField(
        label=_("The tie"),
        max_length=300,
        help_text=_("E.g. employed there, board member, close family in its management."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.declarable_by(user).order_by(
            "name"
        )
        self.fields["partnership"].queryset = Partnership.objects.declarable_by(user).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("partnership")):
            raise forms.ValidationError(_("Choose either an organisation or a partnership."))
        return data
