"""The header's line under the service name (the user's county office or partnerships), worked
out once at log-in and kept in the session: pages never query for it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import CountyOffice, Partnership

AFFILIATION_KEY = "affiliation"
MAX_NAMES = 2


def affiliation(user):
    """The names the header shows: the county offices where the user is a case officer, else
    the partnerships they belong to (at most two names, then "+ n")."""
    names = list(
        CountyOffice.objects.editable_by(user).order_by("name").values_list("name", flat=True)
    )
    if not names or user.is_superuser:
        names = (
            list(
                Partnership.objects.member_of(user).order_by("name").values_list("name", flat=True)
            )
            or names[:0]
        )
    if len(names) > MAX_NAMES:
        return ", ".join(names[:MAX_NAMES]) + f" +{len(names) - MAX_NAMES}"
    return ", ".join(names)


@receiver(user_logged_in)
def remember_affiliation(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[AFFILIATION_KEY] = affiliation(user)
