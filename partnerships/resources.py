from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .identifiers import normalize
from .models import Organisation

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

    class Meta:
        model = Organisation
        fields = ["name", "kind", "org_number", "account_number", "payment_reference"]
        import_id_fields = ["org_number"]
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, *, user, county_office=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.county_office = county_office

    def get_queryset(self):
        return Organisation.objects.manageable_by(self.user)

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.is_uh and instance.county_office_id is None:
            instance.county_office = self.county_office
