from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needs.access import can_edit_report, get_report_for_user
from needs.collaboration import CONFIRMATION_CLEARED_MESSAGE
from needs.selectors import FIGURE_FIELDS, PAGE_DEFERRED_FIELDS, report_summary, ruleset_for
from needs.views import autosave_response, comment_context
from portal.forms import PARTLY_SAVED, based_on, expected_version, valid_values
from portal.workflow import Refused

from . import services
from .forms import MeasureForm
from .models import Measure


def get_measure_for_user(request, report_pk, pk, write=False):
    report = get_report_for_user(request, report_pk, write=write)
    measure = get_object_or_404(Measure.objects.visible_to(request.user), report=report, pk=pk)
    measure.report = report
    return report, measure


@require_POST
def measure_create(request, report_pk):
    report = get_report_for_user(request, report_pk, write=True)
    try:
        measure = services.measure_create(report=report, user=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(report)
    return redirect(measure)


def _is_autosave(request):
    return request.headers.get("X-Requested-With") == "autosave"


def measure_edit(request, report_pk, pk):
    write = request.method == "POST"
    report, measure = get_measure_for_user(request, report_pk, pk, write=write)
    # What the report summary shows of this measure (its figures, its name in the rule check),
    # as stored (the form sets what was typed on it): an autosave that changed none of it
    # answers without a new summary.
    shown = [getattr(measure, name) for name in FIGURE_FIELDS]
    form = MeasureForm(
        request.POST if write else None,
        instance=measure,
        year=report.year,
        max_amount=ruleset_for(report).max_measure_amount,
    )
    conflicts = []
    cleared = None
    if write:
        form.is_valid()
        expected = expected_version(form)
        if expected is None:
            # Every real form (and autosave) sends the version it was based on. A post without
            # it is not a form of ours: saving it could overwrite someone else's work.
            return HttpResponseBadRequest(_("The form was incomplete. Nothing was saved."))
        keep_theirs = {n for n in form.fields if request.POST.get(f"keep_{n}") == "theirs"}
        values = valid_values(form, exclude=keep_theirs)
        try:
            saved, cleared = services.measure_save(
                measure=measure, user=request.user, values=values, expected_version=expected
            )
        except IntegrityError:
            # A safety net: the form checks the amounts' range, the database enforces it.
            # Nothing was saved; the amount out of range gets its message, the rest stays typed.
            if not form.refused_by_database(values):
                raise
            if _is_autosave(request):
                return autosave_response(request, report, version=expected, errors=form.errors)
            messages.error(
                request, _("Nothing was saved. Correct the fields marked with an error.")
            )
        except Refused as refused:
            if _is_autosave(request):
                return JsonResponse({"status": "refused", "message": str(refused)})
            # What was typed stays in the form, with the reason nothing was saved.
            messages.error(request, str(refused))
        else:
            if _is_autosave(request):
                return autosave_response(
                    request,
                    report,
                    version=measure.lock_version,
                    errors=form.errors,
                    saved=saved,
                    confirmation_cleared=bool(cleared),
                    summary=[getattr(measure, name) for name in FIGURE_FIELDS] != shown,
                )
            if not saved:
                conflicts = _conflicts(form, measure)
            elif not form.errors:
                messages.success(request, _("The measure was saved."))
                if cleared:
                    messages.warning(request, CONFIRMATION_CLEARED_MESSAGE)
                return redirect("needs:detail", report.pk)
            else:
                # Saved: the next save builds on this version (the typed values stay shown).
                based_on(form, measure.lock_version)
                messages.error(request, PARTLY_SAVED)
    # The other measures only give totals and the numbering here.
    measures = list(report.measures.select_related("allocation").defer(*PAGE_DEFERRED_FIELDS))
    summary = report_summary(report, measures)
    number = next((i for i, m in enumerate(measures, start=1) if m.pk == measure.pk), None)
    return render(
        request,
        "measures/measure_form.html",
        {
            "report": report,
            "measure": measure,
            "number": number,
            "form": form,
            "summary": summary,
            "conflicts": conflicts,
            "can_edit": can_edit_report(request.user, report),
            "confirmation_cleared": bool(cleared),
            **comment_context(request, report, measures, measure=measure),
        },
    )


def _conflicts(form, measure):
    """Fields where what this person typed differs from what someone else saved meanwhile."""
    fresh = Measure.objects.get(pk=measure.pk)
    rows = []
    for name in form._meta.fields:
        if name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], getattr(fresh, name)
        if mine != theirs:
            field = form.fields[name]
            rows.append(
                {
                    "name": name,
                    "label": field.label,
                    "mine": field.prepare_value(mine),
                    "theirs": field.prepare_value(theirs),
                }
            )
    based_on(form, fresh.lock_version)
    return rows


def measure_delete(request, report_pk, pk):
    report, measure = get_measure_for_user(request, report_pk, pk, write=True)
    if request.method == "POST":
        try:
            cleared = services.measure_delete(measure=measure, user=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
            return redirect(report)
        messages.success(request, _("The measure was deleted."))
        if cleared:
            messages.warning(request, CONFIRMATION_CLEARED_MESSAGE)
        return redirect(report)
    return render(
        request, "measures/measure_confirm_delete.html", {"report": report, "measure": measure}
    )


@require_POST
def measure_move(request, report_pk, pk):
    report, measure = get_measure_for_user(request, report_pk, pk, write=True)
    try:
        services.measure_move(
            measure=measure, user=request.user, up=request.POST.get("direction") == "up"
        )
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect(f"{report.get_absolute_url()}#measures")
