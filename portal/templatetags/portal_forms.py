"""`{% form_field field %}`: a form field with its label, help and errors
(templates/portal/partials/_field.html)."""

from django import template

register = template.Library()


@register.inclusion_tag("portal/partials/_field.html")
def form_field(field):
    return {"field": field}
