from django import forms
from django.db import models

from .identifiers import format_account_number, format_org_number, normalize
from .validators import validate_account_number, validate_org_number


class DigitsFormField(forms.CharField):
    """Accepts '938 712 441' or '7694.05.00660' and cleans to digits."""

    def to_python(self, value):
        return normalize(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["maxlength"] = "20"
        attrs["inputmode"] = "numeric"
        attrs["autocomplete"] = "off"
        return attrs

    def prepare_value(self, value):
        if value and value.isdigit():
            return self.display(value)
        return value

    def display(self, value):
        return value


class OrgNumberFormField(DigitsFormField):
    def display(self, value):
        return format_org_number(value)


class AccountNumberFormField(DigitsFormField):
    def display(self, value):
        return format_account_number(value)


class OrgNumberField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        kwargs.setdefault("validators", [validate_org_number])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": OrgNumberFormField, **kwargs})


class AccountNumberField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("validators", [validate_account_number])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AccountNumberFormField, **kwargs})
