"""The rows of the report page's measure table, built in Python.

A report has up to a few dozen measures and each row has some twenty values and controls;
the template engine spends about a quarter of a millisecond a row on that, which was half
the page's rendering time. The markup is the same as a template loop would give.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from portal.templatetags.portal_tags import kr, share

register = template.Library()


def _name_cell(measure):
    extras = []
    if measure.is_continuation:
        extras.append(
            format_html(' <span class="badge text-bg-light">{}</span>', gettext("continuation"))
        )
    count = getattr(measure, "comment_count", 0)
    if count:
        label = ngettext("%(n)s comment", "%(n)s comments", count) % {"n": count}
        extras.append(
            format_html(
                ' <a class="badge text-bg-info text-decoration-none" '
                'href="measures/{}/#comments">{}</a>',
                measure.pk,
                label,
            )
        )
    return format_html(
        '<td><a href="measures/{}/">{}</a>{}</td>',
        measure.pk,
        measure,
        mark_safe("".join(extras)),  # noqa: S308 - each part built with format_html
    )


def _controls_cell(measure, number, last, csrf_token, labels):
    disabled_up = " disabled" if number == 1 else ""
    disabled_down = " disabled" if number == last else ""
    return format_html(
        '<td class="text-nowrap">'
        '<form method="post" action="measures/{pk}/move/" class="d-inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<button class="btn btn-sm btn-outline-secondary" name="direction" value="up"{up}>'
        '<span aria-hidden="true">↑</span>'
        '<span class="visually-hidden">{move_up} {n}</span></button> '
        '<button class="btn btn-sm btn-outline-secondary" name="direction" value="down"{down}>'
        '<span aria-hidden="true">↓</span>'
        '<span class="visually-hidden">{move_down} {n}</span></button>'
        "</form> "
        '<a class="btn btn-sm btn-outline-danger" href="measures/{pk}/delete/">{delete}'
        '<span class="visually-hidden"> {name}</span></a>'
        "</td>",
        pk=measure.pk,
        csrf=csrf_token,
        up=mark_safe(disabled_up),  # noqa: S308 - a constant
        down=mark_safe(disabled_down),  # noqa: S308 - a constant
        n=number,
        name=measure,
        **labels,
    )


@register.simple_tag(takes_context=True)
def measure_rows(context, measures, can_edit, show_allocation):
    labels = {
        "move_up": gettext("Move up: measure"),
        "move_down": gettext("Move down: measure"),
        "delete": gettext("Delete"),
    }
    csrf_token = str(context.get("csrf_token", ""))
    rows = []
    for number, measure in enumerate(measures, start=1):
        cells = [
            format_html("<td>{}</td>", number),
            _name_cell(measure),
            format_html_join(
                "",
                '<td class="num">{}</td>',
                [
                    (kr(measure.owner_amount),),
                    (kr(measure.uh_amount),),
                    (kr(measure.total),),
                    (share(measure.uh_amount, measure.total),),
                ],
            ),
        ]
        if show_allocation:
            allocation = getattr(measure, "allocation", None)
            cells.append(
                format_html(
                    '<td class="num">{}</td><td class="num">{}</td>',
                    kr(allocation.owner_amount) if allocation else "–",
                    kr(allocation.uh_amount) if allocation else "–",
                )
            )
        if can_edit:
            cells.append(_controls_cell(measure, number, len(measures), csrf_token, labels))
        rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308
    return mark_safe("\n".join(rows))  # noqa: S308 - built with format_html above
