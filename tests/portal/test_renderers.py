"""The fast widget renderer writes exactly what Django's widget templates write."""

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
