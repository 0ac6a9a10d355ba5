from django.conf import settings
from django.utils.functional import SimpleLazyObject

from partnerships.models import CountyOffice, Partnership


def roles(request):
    """What the navigation needs to know about the user, computed once and only if used
    (from CountyOffice.editable_by and Partnership.member_of: none() is known without a
    query)."""

    def compute():
        user = request.user
        if not user.is_authenticated:
            return {"officer": False, "member": False, "admin": False}
        return {
            "officer": not CountyOffice.objects.editable_by(user).query.is_empty(),
            "member": not Partnership.objects.member_of(user).query.is_empty(),
            "admin": user.is_superuser,
        }

    return {"roles": SimpleLazyObject(compute)}


# The menu entry a path belongs to (the longest matching prefix wins; "/" only exactly).
SECTIONS = (
    ("/needs/review/", "queue"),
    ("/needs/allocation/", "queue"),
    ("/needs/", "needs"),
    ("/partnerships/organisations/", "office"),
    ("/partnerships/rules/", "office"),
    ("/partnerships/", "partnerships"),
    ("/activity-plan/", "plan"),
    ("/reporting/annual/", "office"),
    ("/reporting/statistics", "office"),
    ("/reporting/", "exports"),
    ("/accessibility/", "accessibility"),
)


def section(request):
    """Which menu entry the page belongs to, for aria-current (from the path alone)."""
    path = request.path
    found = "overview" if path == "/" else ""
    for prefix, name in SECTIONS if not found else ():
        if path.startswith(prefix):
            found = name
            break
    return {"section": found, "support_email": settings.SUPPORT_EMAIL}
