"""Formatting for templates: kroner, percentages, org.nr and account numbers. Never queries."""

from django import template

from partnerships.identifiers import format_account_number, format_org_number
from portal.money import format_percent, group_digits

register = template.Library()

NBSP = "\u00a0"


@register.filter
def kr(value):
    """1544000 -> '1 544 000 kr' with no-break spaces, so amounts never wrap."""
    if value is None or value == "":
        return ""
    return f"{group_digits(value)} kr".replace(" ", NBSP)


@register.filter
def kroner(value):
    """Digits only, grouped: 1544000 -> '1 544 000' (for tables with a 'kr' header)."""
    if value is None or value == "":
        return ""
    return group_digits(value).replace(" ", NBSP)


@register.filter
def orgnr(value):
    return format_org_number(value)


@register.filter
def account(value):
    return format_account_number(value)


@register.simple_tag
def share(part, total):
    """The share of part in total as '59,5 %'."""
    return format_percent(part or 0, total or 0).replace(" ", NBSP)
