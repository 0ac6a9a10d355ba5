from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import CountyOffice, Partnership

from .models import Invitation


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _(
                    "Too many wrong codes. Wait a little and try again: the pause grows "
                    "with each wrong code."
                ),
                code="throttled",
            )
        if not (code.isdigit() and self.device.verify_token(code)):
            raise forms.ValidationError(
                _("The code is wrong or too old. Give the code the app shows now."),
                code="wrong",
            )
        return code


class InvitationForm(forms.Form):
    """Invite a person by e-mail: to a partnership of the inviter's county (coordinator or UH
    contact) or to the inviter's county office (case officer)."""

    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Invitation.Role.choices)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(), required=False
    )
    county_office = forms.ModelChoiceField(
        label=_("County office"), queryset=CountyOffice.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.editable_by(user)
        self.fields["county_office"].queryset = CountyOffice.objects.editable_by(user)
        self.fields["partnership"].help_text = _("For a coordinator or a UH contact.")
        self.fields["county_office"].help_text = _("For a case officer.")

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Invitation.Role.OFFICER and not data.get("county_office"):
            self.add_error("county_office", _("Choose the county office."))
        elif role and role != Invitation.Role.OFFICER and not data.get("partnership"):
            self.add_error("partnership", _("Choose the partnership."))
        return data
