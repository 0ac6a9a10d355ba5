"""Whole numbers from paths, query strings and forms, read one way.

Ids, years, page numbers and counts count only as plain ASCII digits within a range:
"²" passes `str.isdigit()` and fails `int()`, `int()` takes "٣" and "1_000", and a number
past the database's integer columns fails the query. Anything else is a 400 (a query
parameter) or a form message (a form field), never a 500.

Path arguments use Django's `int` converter (ASCII digits only) or `<year:...>` below.
"""

from django import forms
from django.core.exceptions import BadRequest
from django.urls import register_converter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# PostgreSQL's integer; ids are bigint, but no id of ours comes near this.
MAX_INT = 2**31 - 1
# The years the portal plans for: need reports, deadlines, frames, the activity plan.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# More digits than this is never a number we keep (and int() of 4 300 digits raises).
MAX_DIGITS = 12


def parse_int(value, *, low=0, high=MAX_INT):
    """The whole number in `value`, or None unless it is plain ASCII digits in [low, high].

    An int passes through (checked against the range); spaces around the digits are allowed.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not (0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()):
            return None
        number = int(text)
    return number if low <= number <= high else None


def parse_year(value):
    return parse_int(value, low=FIRST_YEAR, high=LAST_YEAR)


def query_int(request, name, *, low=0, high=MAX_INT, default=None, blank=("",)):
    """?name= as a whole number. Missing or one of `blank` gives `default`; anything else
    that is not a number in range is a bad request (400)."""
    raw = request.GET.get(name)
    if raw is None or raw.strip() in blank:
        return default
    number = parse_int(raw, low=low, high=high)
    if number is None:
        raise BadRequest(_("The address has an invalid number in “%(name)s”.") % {"name": name})
    return number


def query_year(request, name="year", *, default=None, blank=("",)):
    return query_int(request, name, low=FIRST_YEAR, high=LAST_YEAR, default=default, blank=blank)


def query_id(request, name, *, default=None):
    return query_int(request, name, low=1, default=default)


def page_number(request, name="page"):
    """?page= for a Paginator: a number of plain digits (past the last page gives the last,
    as does 0), anything else the first page. A list never fails on its page number."""
    text = request.GET.get(name, "").strip()
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= MAX_DIGITS else MAX_INT
    return 1


def post_id(request, name):
    """A POSTed id, or None when it is absent; a bad request when it is not an id."""
    raw = request.POST.get(name)
    if raw is None or raw.strip() == "":
        return None
    number = parse_int(raw, low=1)
    if number is None:
        raise BadRequest(_("The form has an invalid number in “%(name)s”.") % {"name": name})
    return number


class WholeNumberField(forms.IntegerField):
    """A form's whole number: ASCII digits only, within [min_value, max_value] (default
    0 to MAX_INT), with Norwegian messages. Counts accept the thousands dot and spaces
    the way amounts do (see portal.money.parse_count)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": gettext_lazy("Write a whole number with digits, e.g. 12."),
    }

    def __init__(self, *, min_value=0, max_value=MAX_INT, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        from .money import MoneyError, parse_count

        if value in self.empty_values:
            return None
        try:
            number = parse_count(value, maximum=10**15)
        except MoneyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number


class YearConverter:
    """<year:year> in a path: four ASCII digits between FIRST_YEAR and LAST_YEAR, else 404."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        year = parse_year(value)
        if year is None:
            raise ValueError(value)
        return year

    def to_url(self, value):
        return str(value)


register_converter(YearConverter, "year")
