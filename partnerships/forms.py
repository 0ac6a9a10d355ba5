from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import KronerField

from .models import ContactPerson, Organisation, Partnership, Region, RuleSettings, Scheme


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "org_number",
            "account_number",
            "payment_reference",
            "county_office",
            "language_form",
        ]

    def __init__(self, *args, county_offices, user, **kwargs):
        """`county_offices`: CountyOffice.editable_by(user), the only counties offered and
        accepted (none: a UH used across counties, which then only administrators change).
        A case officer cannot change the kind of an organisation a partnership uses."""
        super().__init__(*args, **kwargs)
        self.fields["county_office"].queryset = county_offices
        # Left out (an older form or a script): the form it has, bokmål for a new one.
        self.fields["language_form"].required = False
        if not user.is_superuser:
            if self.instance.pk and self.instance.is_used():
                self.fields["kind"].disabled = True
                self.fields["kind"].help_text = _(
                    "A partnership uses this organisation: only an administrator can change "
                    "its kind."
                )

    def clean_language_form(self):
        return self.cleaned_data.get("language_form") or self.instance.language_form


ContactFormSet = forms.inlineformset_factory(
    Organisation,
    ContactPerson,
    fields=["name", "role", "phone", "email"],
    extra=1,
    can_delete=True,
)


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "region", "owners", "uh_partners", "lead_owner"]
        widgets = {
            "owners": forms.CheckboxSelectMultiple,
            "uh_partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, county_offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            county_office__in=county_offices
        ).select_related("county_office")
        self.fields["owners"].queryset = Organisation.objects.owners().filter(
            county_office__in=county_offices
        )
        self.fields["uh_partners"].queryset = Organisation.objects.universities()
        self.fields["lead_owner"].queryset = self.fields["owners"].queryset

    def clean(self):
        cleaned = super().clean()
        lead, owners = cleaned.get("lead_owner"), cleaned.get("owners")
        if lead is None and owners:
            cleaned["lead_owner"] = owners.order_by("name", "pk").first()
        elif lead is not None and owners is not None and lead not in owners:
            self.add_error("lead_owner", _("The lead owner must be one of the owners."))
        return cleaned


class RuleSettingsForm(forms.ModelForm):
    class Meta:
        model = RuleSettings
        fields = [
            "county_office",
            "scheme",
            "year",
            "min_uh_share_percent",
            "cofinancing_percent",
            "coordinator_cap",
            "max_measure_amount",
        ]

    def __init__(self, *args, county_offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county_office"].queryset = county_offices
        self.fields["scheme"].queryset = Scheme.objects.all()
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        if county_offices.count() == 1:
            self.fields["county_office"].initial = county_offices.first()
        ceiling = RuleSettings._meta.get_field("max_measure_amount")
        self.fields["max_measure_amount"] = KronerField(
            label=ceiling.verbose_name,
            help_text=ceiling.help_text,
            empty_value=ceiling.default,
            initial=ceiling.default,
        )
        if self.instance.pk:
            for name in ("county_office", "scheme", "year"):
                self.fields[name].disabled = True

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns as in the template: name, kind, organisation number, account number, "
            "payment reference and a contact person (name, role, phone, e-mail)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        return upload
