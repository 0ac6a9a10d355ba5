from django import template

from accounts import providers

register = template.Library()


@register.simple_tag
def login_providers():
    """The configured OpenID Connect providers (from settings: no query)."""
    return providers.configured()
