"""The rows of the partnership list, built in Python.

An officer's page has fifty partnerships; the template engine spent about a quarter of a
millisecond a row on them (with a model instance and a URL reversal each). The markup is
the same as the template loop gave.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def partnership_rows(partnerships):
    """<tr> of each row of PartnershipRow-like tuples (pk, name, region, county office,
    owner count); every text from the database is escaped."""
    # One reversal for the page: the detail URL with the primary key swapped in.
    marker = 2**31 - 1
    detail = reverse("partnerships:detail", args=[marker]).split(str(marker))
    rows = [
        "<tr>"
        f'<td><a href="{escape(detail[0])}{p.pk:d}{escape(detail[1])}">{escape(p.name)}</a></td>'
        f"<td>{escape(p.region_name)}</td>"
        f"<td>{escape(p.county_office_name)}</td>"
        f'<td class="num">{p.owner_count:d}</td>'
        "</tr>"
        for p in partnerships
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - every text above is escaped
