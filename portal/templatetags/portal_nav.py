"""`{% main_nav %}`: the main menu, rendered once per language and set of roles.

The menu is the same for every user with the same roles except for the user's name and the
log-out form's CSRF token; its URL reversals and translations cost about 0.8 ms on every
page. The rendered template (templates/portal/partials/_nav.html) is kept per process with
two marks in it, which each request fills in (escaped). With DEBUG on it renders every time,
so template edits show at once.
"""

from html import escape

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

USER_MARK = "__kp_nav_user__"
CSRF_MARK = "__kp_nav_csrf__"
_rendered = {}


def _menu(key):
    html = _rendered.get(key)
    if html is None:
        _language, authenticated, officer, admin = key
        html = render_to_string(
            "portal/partials/_nav.html",
            {
                "authenticated": authenticated,
                "roles": {"officer": officer, "admin": admin},
                "user_mark": USER_MARK,
                "csrf_mark": CSRF_MARK,
            },
        ).strip()
        if not settings.DEBUG:
            _rendered[key] = html
    return html


@register.simple_tag(takes_context=True)
def main_nav(context):
    user = context.get("user")
    authenticated = bool(user and user.is_authenticated)
    roles = context.get("roles") if authenticated else None
    key = (
        get_language(),
        authenticated,
        bool(roles and roles["officer"]),
        bool(roles and roles["admin"]),
    )
    html = _menu(key)
    if authenticated:
        token = str(context.get("csrf_token", ""))
        html = html.replace(USER_MARK, escape(str(user))).replace(
            CSRF_MARK, escape(token) if token != "NOTPROVIDED" else ""
        )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine; the fills escaped
