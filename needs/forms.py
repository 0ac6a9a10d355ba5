from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Scheme
from portal.forms import KronerField, VersionField, style_fields, yes_no_field
from portal.params import FIRST_YEAR, LAST_YEAR, WholeNumberField, parse_int
from portal.texts import COMMENT, MEDIUM

from .models import CodeterminationParticipant, NeedReport, OtherParty


class ReportCreateForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none()
    )
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all())
    year = WholeNumberField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    copy_last_year = forms.BooleanField(
        label=_("Start from last year's report: copy its measures as continuations"),
        required=False,
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        if partnerships.count() == 1:
            self.fields["partnership"].initial = partnerships.first()
        style_fields(self)

    def clean(self):
        data = super().clean()
        if {"partnership", "scheme", "year"} <= data.keys():
            existing = NeedReport.objects.filter(
                partnership=data["partnership"], scheme=data["scheme"], year=data["year"]
            ).first()
            if existing:
                self.existing = existing
                raise forms.ValidationError(
                    _("The partnership already has a need report for this scheme and year."),
                    code="exists",
                )
        return data


class ReportDetailsForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = NeedReport
        fields = [
            "owner_contact_name",
            "owner_contact_role",
            "owner_contact_phone",
            "owner_contact_email",
            "owner_org_number",
            "owner_account_number",
            "owner_payment_reference",
            "uh_contact_name",
            "uh_contact_role",
            "uh_contact_phone",
            "uh_contact_email",
            "uh_org_number",
            "uh_account_number",
            "uh_payment_reference",
            "codetermination_discussed",
            "cofinancing_amount",
            "municipal_kindergartens",
            "private_kindergartens",
            "public_schools",
            "private_schools",
            "pp_services",
        ]
        # Counts are typed like amounts: "1.200" and "1 200" are both 1 200.
        field_classes = {
            "municipal_kindergartens": WholeNumberField,
            "private_kindergartens": WholeNumberField,
            "public_schools": WholeNumberField,
            "private_schools": WholeNumberField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codetermination_discussed"] = yes_no_field(
            _("The need report has been discussed in co-determination")
        )
        self.fields["cofinancing_amount"] = KronerField(
            label=capfirst(NeedReport._meta.get_field("cofinancing_amount").verbose_name),
            help_text=NeedReport._meta.get_field("cofinancing_amount").help_text,
        )
        self.fields["version"].initial = self.instance.lock_version
        style_fields(self)


class _StyledFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        style_fields(form)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        style_fields(form)
        return form


OtherPartyFormSet = forms.inlineformset_factory(
    NeedReport,
    OtherParty,
    formset=_StyledFormSet,
    fields=["name", "contact_person", "kind"],
    extra=2,
    can_delete=True,
)

ParticipantFormSet = forms.inlineformset_factory(
    NeedReport,
    CodeterminationParticipant,
    formset=_StyledFormSet,
    fields=["role", "name"],
    extra=2,
    can_delete=True,
)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write a comment before you send it."),
            "max_length": _("A comment can be at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        style_fields(self)


# The allocation page (views_allocation.py): a formset of the page's measures and one of its
# reports' priorities. Each form names its measure or report in a hidden field, and the
# formset accepts exactly the page's ones: a list that changed since it was shown never
# stores an amount on the wrong row.


class AllocationForm(forms.Form):
    """What one measure is allocated: owner and UH, in whole kroner (empty: 0)."""

    measure = forms.IntegerField(widget=forms.HiddenInput)
    # The inputs are written out in templates/needs/partials/_allocation_sections.html.
    owner = KronerField()
    uh = KronerField()


class PriorityForm(forms.Form):
    """The samarbeidsforum's priority of one report, and its note."""

    WHOLE_NUMBER = _("A whole number, e.g. 1.")

    report = forms.IntegerField(widget=forms.HiddenInput)
    priority = WholeNumberField(
        required=False,
        min_value=0,
        max_value=999_999_999,
        error_messages={
            "invalid": WHOLE_NUMBER,
            "min_value": WHOLE_NUMBER,
            "max_value": WHOLE_NUMBER,
        },
    )
    note = forms.CharField(required=False, max_length=MEDIUM)


class _RowFormSet(forms.BaseFormSet):
    """A formset of one form per row of the page, each naming its row in `key`."""

    key = None

    def __init__(self, data=None, *, rows, initial, **kwargs):
        self.row_ids = {row.pk for row in rows}
        super().__init__(data, initial=initial, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        posted = [form.cleaned_data.get(self.key) for form in self.forms]
        if len(posted) != len(self.row_ids) or set(posted) != self.row_ids:
            raise forms.ValidationError(
                _("The page changed while you typed. Nothing was saved: enter it again."),
                code="rows",
            )

    def by_row(self):
        """{row id: its form}, for showing each form beside its row."""
        forms_by_id = {}
        for form in self.forms:
            value = parse_int(form[self.key].value(), low=1)
            if value is not None:
                forms_by_id[value] = form
        return forms_by_id


class _AllocationFormSet(_RowFormSet):
    key = "measure"

    def entries(self):
        """{measure id: (owner, UH)}, as allocations_save takes them."""
        return {
            f.cleaned_data["measure"]: (f.cleaned_data["owner"] or 0, f.cleaned_data["uh"] or 0)
            for f in self.forms
        }


class _PriorityFormSet(_RowFormSet):
    key = "report"

    def entries(self):
        """{report id: (priority or None, note)}, as priorities_set takes them."""
        return {
            f.cleaned_data["report"]: (f.cleaned_data["priority"], f.cleaned_data["note"])
            for f in self.forms
        }


AllocationFormSet = forms.formset_factory(AllocationForm, formset=_AllocationFormSet, extra=0)
PriorityFormSet = forms.formset_factory(PriorityForm, formset=_PriorityFormSet, extra=0)
