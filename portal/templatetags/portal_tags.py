"""Formatting for templates: kroner and percentages. Never queries. (Org.nr and account
numbers: `identifier_tags` of partnerships.)"""

from django import template
from django.conf import settings

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


@register.simple_tag
def share(part, total):
    """The share of part in total as '59,5 %'."""
    return format_percent(part or 0, total or 0).replace(" ", NBSP)


@register.simple_tag
def site_url(path=""):
    """The portal's configured address (settings.SITE_URL) with `path`: links in mail."""
    return settings.SITE_URL.rstrip("/") + str(path)


@register.simple_tag
def site_name():
    return settings.SITE_NAME
