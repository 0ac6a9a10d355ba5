"""The fast widget renderer writes exactly what Django's widget templates write."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.renderers import FastWidgetRenderer


class Everything(forms.Form):
    text = forms.CharField(max_length=10, help_text="x")
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"step": 1}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    tick = forms.BooleanField(required=False)
    flag = forms.CharField(widget=forms.TextInput(attrs={"readonly": True, "disabled": False}))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    choice = forms.ChoiceField(choices=[("a", "A <b>"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


CASES = [
    {},
    {
        "text": 'a"b<c>&',
        "email": "x@y.no",
        "number": "12",
        "hidden": "h'id",
        "tick": "on",
        "flag": "on",
        "note": "<script>alert(1)</script>\nline 2",
        "when": "2024-08-13",
        "choice": "a",
        "many": ["y"],
    },
]


@pytest.mark.parametrize("data", CASES)
def test_same_markup_as_the_templates(data):
    fast = Everything(data or None, renderer=FastWidgetRenderer())
    slow = Everything(data or None, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(fast[name]) == str(slow[name]), name
    for name in ("choice", "many"):
        for fast_option, slow_option in zip(fast[name], slow[name], strict=True):
            assert fast_option.tag() == slow_option.tag()
            assert str(fast_option) == str(slow_option)
    if data:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(fast["note"])
        assert 'value="a&quot;b&lt;c&gt;&amp;"' in str(fast["text"])


# {% form_field %} writes what templates/portal/partials/_field.html writes ------------------


def _normalised(html):
    """Whitespace between tags is layout in the template, not content."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _forms():
    from measures.forms import MeasureForm
    from needs.forms import CommentForm

    everything = Everything({"text": "<too long text>", "number": "x", "choice": "z"})
    everything.is_valid()  # errors on text, number, choice, note and flag
    return [Everything(), everything, MeasureForm(year=2024), CommentForm({"text": ""})]


@pytest.mark.django_db
def test_form_field_tag_writes_the_field_template():
    from django.template.loader import render_to_string

    from portal.templatetags.portal_forms import form_field

    checked = set()
    for form in _forms():
        form.is_bound and form.is_valid()
        for field in form:
            expected = render_to_string("portal/partials/_field.html", {"field": field})
            assert _normalised(form_field(field)) == _normalised(expected), field.name
            checked.add(field.widget_type)
    assert {"radioselect", "checkbox", "textarea", "text", "number"} <= checked
