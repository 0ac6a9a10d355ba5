"""Form fields shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .money import MoneyError, group_digits, parse_kroner

MONEY_MESSAGES = {
    "invalid": _("Write the amount in whole kroner with digits, e.g. 1 544 000."),
    "negative": _("The amount cannot be negative."),
    "decimals": _("Write whole kroner without øre (no decimals)."),
    "too_large": _("The amount is too large. The highest amount is 1 000 000 000 000 kr."),
}

YES_NO = [(True, _("Yes")), (False, _("No"))]


class KronerField(forms.Field):
    """Whole kroner, accepting '1 544 000', 'kr 50 000' and '50 000 kr'."""

    widget = forms.TextInput

    def __init__(self, *, empty_value=None, **kwargs):
        self.empty_value = empty_value
        kwargs.setdefault("required", False)
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "data-kroner": ""})
        return attrs

    def to_python(self, value):
        try:
            parsed = parse_kroner(value)
        except MoneyError as error:
            raise forms.ValidationError(MONEY_MESSAGES[error.code], code=error.code) from None
        return self.empty_value if parsed is None else parsed

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return group_digits(value)
        return value


def yes_no_field(label, **kwargs):
    return forms.NullBooleanField(
        label=label, required=False, widget=forms.RadioSelect(choices=YES_NO), **kwargs
    )


def style_fields(form):
    """Designsystemet's input class on every widget, and aria-describedby for help and errors."""
    for name, field in form.fields.items():
        widget = field.widget
        css = "ds-input"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
        if isinstance(widget, forms.Textarea):
            if widget.attrs.get("rows") in (None, 10, "10"):
                widget.attrs["rows"] = 4
            # The limit is checked on save, with a message: a browser's maxlength would cut a
            # pasted text short without a word.
            widget.attrs.pop("maxlength", None)
        described = [f"err-{form.add_prefix(name)}"]
        if field.help_text:
            described.insert(0, f"help-{form.add_prefix(name)}")
        widget.attrs["aria-describedby"] = " ".join(described)
        if form.is_bound and name in form.errors:
            widget.attrs["aria-invalid"] = "true"


class VersionField(forms.IntegerField):
    """The version the form was based on. Required: a post without it, or with anything but
    a number, is not a form of ours and saves nothing (see `expected_version`)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=True, min_value=0, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not (
            isinstance(value, int) or (str(value).isascii() and str(value).isdigit())
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def expected_version(form):
    """The form's version after `is_valid()`, or None when it was missing or malformed
    (the view then answers 400 and saves nothing)."""
    if "version" in form.errors:
        return None
    return form.cleaned_data.get("version")


PARTLY_SAVED = _("Everything else was saved. Correct the fields marked with an error.")


def based_on(form, version):
    """Show the form again on top of `version`, what its next save builds on; the values
    typed stay as they are."""
    form.data = form.data.copy()
    form.data["version"] = version


def valid_values(form, exclude=()):
    """{name: value} of the model fields that validated: a draft keeps everything that is right."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name not in exclude and name not in form.errors and name in form.cleaned_data
    }


def save_valid_fields(form, instance, exclude=()):
    """Set the valid values on `instance`; the names of the fields set."""
    values = valid_values(form, exclude)
    for name, value in values.items():
        setattr(instance, name, value)
    return list(values)


class NotificationSettingsForm(forms.Form):
    """Which kinds of e-mail a user wants; what is not ticked is stored as muted."""

    wanted = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, user, **kwargs):
        from .notifications import KINDS

        self.kinds = KINDS
        muted = set(user.muted_notifications or [])
        kwargs.setdefault("initial", {"wanted": [k for k in KINDS if k not in muted]})
        super().__init__(*args, **kwargs)
        self.fields["wanted"].choices = list(KINDS.items())

    def muted(self):
        wanted = set(self.cleaned_data["wanted"])
        return [kind for kind in self.kinds if kind not in wanted]
