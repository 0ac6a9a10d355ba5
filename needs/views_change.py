"""Change requests to an allocated report: start, edit the draft, the steps, the diff."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.forms import based_on, expected_version
from portal.texts import LONG, posted_text
from portal.workflow import Refused

from .access import get_change_for_user, get_report_for_user
from .changes import (
    FIELDS,
    change_approve,
    change_confirm_uh,
    change_create,
    change_reject,
    change_save,
    change_submit,
    change_withdraw,
    current_values,
    differences,
    report_measures,
)
from .conflicts import tie_reason
from .forms_forum import ChangeLineForm, ChangeRequestForm
from .models import ChangeRequest


@require_POST
def change_create_view(request, pk):
    report = get_report_for_user(request, pk)
    if not report.allows("request_change", request.user):
        raise PermissionDenied
    try:
        change = change_create(report=report, user=request.user)
    except Refused as error:
        messages.error(request, str(error))
        return redirect(report)
    return redirect("needs:change_edit", change.pk)


def _line_forms(change, measures, data=None):
    after = {line.measure_id: line.after for line in change.lines.all()}
    forms = []
    for measure in measures:
        initial = {**current_values(measure), **after.get(measure.pk, {})}
        form = ChangeLineForm(data, prefix=f"m{measure.pk}", initial=initial)
        form.measure = measure
        forms.append(form)
    return forms


def change_edit(request, pk):
    change = get_change_for_user(request, pk, write=True)
    measures = report_measures(change.report)
    posted = request.POST if request.method == "POST" else None
    form = ChangeRequestForm(
        posted, initial={"version": change.lock_version, "reason": change.reason}
    )
    lines = _line_forms(change, measures, posted)
    if posted is not None:
        # Every form validates (each shows its errors), not only up to the first invalid one.
        lines_valid = [line.is_valid() for line in lines]
        valid = form.is_valid() and all(lines_valid)
        version = expected_version(form)
        if version is None:
            return HttpResponseBadRequest(_("The form was incomplete. Nothing was saved."))
        if valid:
            proposed = {
                line.measure.pk: {
                    k: (v or 0) if FIELDS[k][1] == "money" else v
                    for k, v in line.cleaned_data.items()
                }
                for line in lines
            }
            try:
                saved = change_save(
                    change=change,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    proposed=proposed,
                    expected_version=version,
                )
            except Refused as error:
                messages.error(request, str(error))
            else:
                if saved:
                    messages.success(request, _("The change request was saved."))
                    return redirect(change)
                change.refresh_from_db()
                based_on(form, change.lock_version)
                messages.error(
                    request,
                    _(
                        "Someone else saved this change request while you typed. Nothing was "
                        "saved: what you typed is below; save again to replace theirs."
                    ),
                )
        else:
            messages.error(
                request, _("Nothing was saved. Correct the fields marked with an error.")
            )
    return render(
        request, "needs/change/change_form.html", {"change": change, "form": form, "lines": lines}
    )


def change_detail(request, pk):
    change = get_change_for_user(request, pk)
    lines = list(change.lines.select_related("measure"))
    for line in lines:
        line.differences = differences(line)
    user = request.user
    tie = (
        change.report.tie_of(user)
        if change.allows("approve", user) or change.allows("reject", user)
        else None
    )
    return render(
        request,
        "needs/change/change_detail.html",
        {
            "change": change,
            "lines": lines,
            "may": {
                action: change.allows(action, user)
                for action in ("edit", "submit", "withdraw", "confirm_uh", "approve", "reject")
            },
            "tie_reason": tie_reason(tie) if tie else "",
        },
    )


ACTIONS = {
    "submit": (change_submit, gettext_lazy("The change request was sent to the UH contact.")),
    "withdraw": (change_withdraw, gettext_lazy("The change request was withdrawn.")),
    "confirm_uh": (change_confirm_uh, gettext_lazy("You confirmed the change request.")),
}


@require_POST
def change_act(request, pk):
    change = get_change_for_user(request, pk)
    action = request.POST.get("action", "")
    roles = change.roles_of(request.user)
    if not any(s.action == action and s.who in roles for s in change.workflow.steps):
        raise PermissionDenied  # not a step this user ever takes (a state may refuse it)
    try:
        reason = posted_text(request, "reason", LONG)
        if action in ACTIONS:
            service, done = ACTIONS[action]
            service(change=change, user=request.user)
        elif action == "approve":
            change_approve(change=change, user=request.user, reason=reason)
            done = _("The change request was approved and the allocation changed.")
        elif action == "reject":
            change_reject(change=change, user=request.user, reason=reason)
            done = _("The change request was rejected.")
        else:
            raise Refused(_("Unknown action."))
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(change)


def change_context(request, report):
    """The report page's change requests (templates/needs/change/_report_changes.html)."""
    if report.status != report.Status.ALLOCATED:
        return {"change_requests": [], "can_request_change": False}
    changes = ChangeRequest.objects.visible_to(request.user).filter(report=report)
    return {
        "change_requests": list(changes.only("pk", "status", "created_at", "report_id")),
        "can_request_change": report.allows("request_change", request.user),
    }
