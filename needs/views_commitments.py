"""One commitment of the register: an officer adjusts what it binds, with a reason, or
releases it (and the measure's later ones) when the measure ends early."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from partnerships.access import require_officer
from portal.money import MoneyError, parse_kroner
from portal.texts import LONG, posted_text
from portal.workflow import Refused

from .commitments import commitment_adjust, commitments_release
from .models import Commitment


def commitment(request, pk):
    require_officer(request.user)
    row = get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related(
            "report__partnership", "measure", "scheme", "county_office"
        ),
        pk=pk,
    )
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            reason = posted_text(request, "reason", LONG)
            if action == "release":
                commitments_release(commitment=row, reason=reason, user=request.user)
                messages.success(request, _("The commitment was released."))
            else:
                amount = None
                if action != "reset":
                    amount = parse_kroner(request.POST.get("amount"))
                    if amount is None:
                        raise MoneyError("invalid")
                commitment_adjust(commitment=row, amount=amount, reason=reason, user=request.user)
                messages.success(request, _("The commitment was adjusted."))
        except MoneyError:
            errors["amount"] = _("Whole kroner, e.g. 50 000.")
            messages.error(
                request, _("Nothing was saved. Correct the fields marked with an error.")
            )
        except Refused as error:
            errors["reason"] = str(error)
            messages.error(request, str(error))
        else:
            return redirect("needs:allocation", row.county_office_id, row.scheme.code, row.year)
    return render(
        request,
        "needs/review/commitment.html",
        {"commitment": row, "errors": errors, "posted": request.POST or None},
    )
