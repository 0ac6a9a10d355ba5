"""The county office's deadlines per scheme and year: the list and the form that sets one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnerships.access import managed_county_offices, require_officer

from .deadlines import deadline_set
from .forms_deadlines import DeadlineForm
from .models_deadlines import Deadline


def deadlines(request):
    require_officer(request.user)
    offices = managed_county_offices(request.user)
    form = DeadlineForm(request.POST or None, county_offices=offices)
    if request.method == "POST" and form.is_valid():
        deadline_set(**form.cleaned_data, user=request.user)
        messages.success(request, _("The deadline was saved."))
        return redirect("reporting:deadlines")
    rows = (
        Deadline.objects.editable_by(request.user)
        .select_related("county_office", "scheme")
        .order_by("-year", "due_date", "scheme__order", "kind")
    )
    return render(request, "reporting/deadlines.html", {"form": form, "deadlines": rows})
