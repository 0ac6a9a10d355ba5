"""The statistics page's amount tables, built in Python.

Three tables of eight columns: the template (an include with a loop and eight translated
headers) spent about two milliseconds on them, as much as the rest of the page's content.
The markup is the same as the template gave.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.templatetags.portal_tags import kr

register = template.Library()


def _cells(row):
    """Need reports, requested owner/UH/total and UH share, allocated and UH share."""
    return (
        f'<td class="num">{row.reports:d}</td>'
        f'<td class="num">{escape(kr(row.requested_owner))}</td>'
        f'<td class="num">{escape(kr(row.requested_uh))}</td>'
        f'<td class="num">{escape(kr(row.requested))}</td>'
        f'<td class="num">{escape(row.requested_uh_share)}</td>'
        f'<td class="num">{escape(kr(row.allocated))}</td>'
        f'<td class="num">{escape(row.allocated_uh_share)}</td>'
    )


def _headers(first):
    labels = [
        gettext("Need reports"),
        gettext("Requested owner"),
        gettext("Requested UH"),
        gettext("Requested"),
        gettext("UH share requested"),
        gettext("Allocated"),
        gettext("UH share allocated"),
    ]
    return f'<th scope="col">{escape(str(first))}</th>' + "".join(
        f'<th scope="col" class="num">{escape(label)}</th>' for label in labels
    )


@register.simple_tag
def amount_table(rows, *, first, caption, testid, total=None):
    """The table of AmountRows with a header row, and a totals row when `total` is given."""
    if rows:
        body = amount_rows(rows)
    else:
        none = escape(gettext("No need reports."))  # (outside the f-string, for xgettext)
        body = f'<tr><td colspan="8">{none}</td></tr>'
    foot = f"<tfoot>{amount_total(total)}</tfoot>" if total else ""
    return mark_safe(  # noqa: S308 - every value escaped here and in amount_rows
        f'<table class="table table-sm table-striped" data-testid="{escape(testid)}">'
        f'<caption class="visually-hidden">{escape(str(caption))}</caption>'
        f"<thead><tr>{_headers(first)}</tr></thead><tbody>{body}</tbody>{foot}</table>"
    )


def amount_rows(rows):
    """A <tr> per AmountRow, its label as the row header."""
    return mark_safe(  # noqa: S308 - every value escaped above
        "\n".join(
            f'<tr><th scope="row" class="fw-normal">{escape(row.label)}</th>{_cells(row)}</tr>'
            for row in rows
        )
    )


def amount_total(row):
    """The totals row of a table."""
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<tr class="table-totals"><th scope="row">{escape(row.label)}</th>{_cells(row)}</tr>'
    )


@register.simple_tag
def count_rows(rows):
    """A <tr> per CountRow: its label as the row header, then the count."""
    return mark_safe(  # noqa: S308 - every text escaped
        "".join(
            f'<tr><th scope="row" class="fw-normal">{escape(row.label)}</th>'
            f'<td class="num">{row.count:d}</td></tr>'
            for row in rows
        )
    )


@register.simple_tag
def filter_options(choices, selected):
    """<option>s of a filter from (value, label) pairs, `selected` marking the chosen one."""
    return mark_safe(  # noqa: S308 - every text escaped
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )
