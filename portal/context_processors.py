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
