"""Case officers and administrators invite people by e-mail to a role."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnerships.models import CountyOffice

from . import services
from .forms import InvitationForm
from .models import Invitation

SHOWN = 100


def invitation_list(request):
    user = request.user
    if not (user.is_superuser or CountyOffice.objects.editable_by(user).exists()):
        raise PermissionDenied
    form = InvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            partnership=form.cleaned_data["partnership"],
            county_office=form.cleaned_data["county_office"],
            invited_by=user,
        )
        messages.success(
            request, _("The invitation has been sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("accounts:invitations")
    invitations = (
        Invitation.objects.visible_to(user)
        .select_related("partnership", "county_office", "invited_by", "accepted_by")
        .order_by("-created_at")[:SHOWN]
    )
    return render(
        request, "accounts/invitation_list.html", {"form": form, "invitations": invitations}
    )
