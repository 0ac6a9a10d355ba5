"""Org.nr and account numbers for templates, grouped as people write them. Never queries."""

from django import template

from partnerships.identifiers import format_account_number, format_org_number

register = template.Library()


@register.filter
def orgnr(value):
    return format_org_number(value)


@register.filter
def account(value):
    return format_account_number(value)
