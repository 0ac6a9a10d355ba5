from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .identifiers import normalize
from .models import LanguageForm, Organisation
from .services import organisation_changed, watched_values

KIND_WORDS = {
    "kommune": Organisation.Kind.MUNICIPALITY,
    "municipality": Organisation.Kind.MUNICIPALITY,
    "fylkeskommune": Organisation.Kind.COUNTY_MUNICIPALITY,
    "county_municipality": Organisation.Kind.COUNTY_MUNICIPALITY,
    "privat": Organisation.Kind.PRIVATE_OWNER,
    "privat eier": Organisation.Kind.PRIVATE_OWNER,
    "private_owner": Organisation.Kind.PRIVATE_OWNER,
    "uh": Organisation.Kind.UH,
    "universitet": Organisation.Kind.UH,
    "høgskole": Organisation.Kind.UH,
}


class KindWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        word = str(value or "").strip().lower()
        if word not in KIND_WORDS:
            raise ValueError(
                _("Unknown kind “%(value)s”. Use kommune, fylkeskommune, privat eier or UH.")
                % {"value": value}
            )
        return KIND_WORDS[word]

    def render(self, value, obj=None, **kwargs):
        return Organisation.Kind(value).label if value else ""


LANGUAGE_FORM_WORDS = {
    "bokmål": LanguageForm.NB,
    "bokmal": LanguageForm.NB,
    "nb": LanguageForm.NB,
    "nynorsk": LanguageForm.NN,
    "nn": LanguageForm.NN,
}


class LanguageFormWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        word = str(value or "").strip().lower()
        if not word:
            return None
        if word not in LANGUAGE_FORM_WORDS:
            raise ValueError(
                _("Unknown language form “%(value)s”. Use bokmål or nynorsk.") % {"value": value}
            )
        return LANGUAGE_FORM_WORDS[word]

    def render(self, value, obj=None, **kwargs):
        return LanguageForm(value).label if value else ""


class DigitsWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return normalize(value)


class OrganisationResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="Navn")
    kind = fields.Field(attribute="kind", column_name="Type", widget=KindWidget())
    org_number = fields.Field(
        attribute="org_number", column_name="Organisasjonsnummer", widget=DigitsWidget()
    )
    account_number = fields.Field(
        attribute="account_number", column_name="Kontonummer", widget=DigitsWidget()
    )
    payment_reference = fields.Field(attribute="payment_reference", column_name="Merking")
    language_form = fields.Field(
        attribute="language_form",
        column_name="Målform",
        widget=LanguageFormWidget(),
        saves_null_values=False,  # an empty cell keeps what is stored (new: bokmål)
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "org_number",
            "account_number",
            "payment_reference",
            "language_form",
        ]
        import_id_fields = ["org_number"]
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, *, user, county_office=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.county_office = county_office

    def get_queryset(self):
        # Rows match on org.nr among all organisations, so that a row for one the user may
        # not change is refused (import_instance), not taken for a new one.
        return Organisation.objects.all()

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._before = {} if new else watched_values(instance)
        instance._kind_before = None if new else instance.kind

    def import_instance(self, instance, row, **kwargs):
        if instance.pk is not None and not self._may_change(instance):
            raise ValidationError(
                {
                    "org_number": _(
                        "You may not change %(name)s (org. no. %(number)s): it belongs to "
                        "another county office, or is used across counties and only an "
                        "administrator can change it."
                    )
                    % {"name": instance.name, "number": instance.org_number}
                }
            )
        super().import_instance(instance, row, **kwargs)
        kind_changed = instance.pk is not None and instance.kind != instance._kind_before
        if kind_changed and not self.user.is_superuser and instance.is_used():
            raise ValidationError(
                {
                    "kind": _(
                        "A partnership uses this organisation: only an administrator can "
                        "change its kind."
                    )
                }
            )

    def _may_change(self, instance):
        if not hasattr(self, "_editable_ids"):
            self._editable_ids = set(
                Organisation.objects.editable_by(self.user).values_list("pk", flat=True)
            )
        return instance.pk in self._editable_ids

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.is_uh and instance.county_office_id is None:
            instance.county_office = self.county_office

    def after_save_instance(self, instance, row, **kwargs):
        organisation_changed(
            organisation=instance, before=getattr(instance, "_before", {}), user=self.user
        )
