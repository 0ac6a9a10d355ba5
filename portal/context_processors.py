from django.utils.functional import SimpleLazyObject

from .access import member_roles, officer_county_ids


def roles(request):
    """What the navigation needs to know about the user, computed once and only if used."""

    def compute():
        user = request.user
        if not user.is_authenticated:
            return {"officer": False, "member": False, "admin": False}
        return {
            "officer": user.is_superuser or bool(officer_county_ids(user)),
            "member": bool(member_roles(user)),
            "admin": user.is_superuser,
        }

    return {"roles": SimpleLazyObject(compute)}
