"""My declared ties: a page of their own for forum members and case officers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms_forum import TieForm
from .models import Tie
from .services_forum import tie_declare, tie_remove


def _require_declarer(user):
    """Forum members, case officers and administrators (Tie.editable_by is not empty)."""
    if Tie.objects.editable_by(user).query.is_empty():
        raise PermissionDenied


def tie_list(request):
    _require_declarer(request.user)
    form = TieForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        tie_declare(user=request.user, **form.cleaned_data)
        messages.success(request, _("The tie was declared."))
        return redirect("partnerships:ties")
    ties = Tie.objects.editable_by(request.user).select_related("organisation", "partnership")
    return render(request, "partnerships/tie_list.html", {"form": form, "ties": ties})


@require_POST
def tie_delete(request, pk):
    _require_declarer(request.user)
    tie = get_object_or_404(Tie.objects.editable_by(request.user), pk=pk)
    tie_remove(tie=tie)
    messages.success(request, _("The tie was removed."))
    return redirect("partnerships:ties")
