"""The rows of the report page's measure table, built in Python.

A report has up to a few dozen measures and each row has some twenty values and controls;
the template engine spends about a quarter of a millisecond a row on that, which was half
the page's rendering time. The markup is the same as a template loop would give.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from portal.templatetags.portal_tags import kr, share

register = template.Library()

# Rows are joined from f-strings: every value from the database or the user goes through
# `escape` (what Django's escaping does: html.escape with quotes), numbers and our own
# constants do not need to. format_html, which escapes every argument, took 2 ms a page.


def _name_cell(measure):
    extras = ""
    if measure.is_continuation:
        # (gettext outside the f-string: xgettext does not look inside f-strings)
        label = escape(gettext("continuation"))
        extras += f' <span class="badge text-bg-light">{label}</span>'
    count = getattr(measure, "comment_count", 0)
    if count:
        label = ngettext("%(n)s comment", "%(n)s comments", count) % {"n": count}
        extras += (
            f' <a class="badge text-bg-info text-decoration-none" '
            f'href="measures/{measure.pk:d}/#comments">{escape(label)}</a>'
        )
    return f'<td><a href="measures/{measure.pk:d}/">{escape(str(measure))}</a>{extras}</td>'


def _controls_cell(measure, number, last, csrf, labels):
    up = " disabled" if number == 1 else ""
    down = " disabled" if number == last else ""
    pk = f"{measure.pk:d}"
    return (
        '<td class="text-nowrap">'
        f'<form method="post" action="measures/{pk}/move/" class="d-inline">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        f'<button class="btn btn-sm btn-outline-secondary" name="direction" value="up"{up}>'
        '<span aria-hidden="true">↑</span>'
        f'<span class="visually-hidden">{labels["move_up"]} {number:d}</span></button> '
        f'<button class="btn btn-sm btn-outline-secondary" name="direction" value="down"{down}>'
        '<span aria-hidden="true">↓</span>'
        f'<span class="visually-hidden">{labels["move_down"]} {number:d}</span></button>'
        "</form> "
        f'<a class="btn btn-sm btn-outline-danger" href="measures/{pk}/delete/">{labels["delete"]}'
        f'<span class="visually-hidden"> {escape(str(measure))}</span></a>'
        "</td>"
    )


def _amount_cells(*values):
    return "".join(f'<td class="num">{escape(value)}</td>' for value in values)


@register.simple_tag(takes_context=True)
def measure_rows(context, measures, can_edit, show_allocation):
    labels = {
        "move_up": escape(gettext("Move up: measure")),
        "move_down": escape(gettext("Move down: measure")),
        "delete": escape(gettext("Delete")),
    }
    csrf = escape(str(context.get("csrf_token", "")))
    rows = []
    for number, measure in enumerate(measures, start=1):
        owner, uh = measure.owner_amount, measure.uh_amount
        row = (
            f"<tr><td>{number:d}</td>{_name_cell(measure)}"
            f"{_amount_cells(kr(owner), kr(uh), kr(measure.total), share(uh, measure.total))}"
        )
        if show_allocation:
            allocation = getattr(measure, "allocation", None)
            row += _amount_cells(
                kr(allocation.owner_amount) if allocation else "–",
                kr(allocation.uh_amount) if allocation else "–",
            )
        if can_edit:
            row += _controls_cell(measure, number, len(measures), csrf, labels)
        rows.append(row + "</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above
