"""The allocation page of a county, scheme and year (samarbeidsforum priorities, allocation
per measure within the frame) and rescaling the allocations when the frame changes."""

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from measures.models import Measure
from partnerships.access import require_officer
from partnerships.models import CountyOffice, RuleSettings, Scheme
from portal.money import MoneyError, parse_kroner
from portal.paging import get_page
from portal.workflow import Refused

from . import rules
from .commitments import commitments_into, committed_total
from .conflicts import tie_reason, ties_by_report
from .findings import describe
from .forms import AllocationFormSet, PriorityFormSet
from .models import Frame, RuleException
from .review import (
    allocated_split_findings,
    allocation_queryset,
    allocations_save,
    frame_set,
    priorities_set,
    rescale_apply,
    rescale_preview,
)

ALLOCATION_PAGE_SIZE = 10  # reports (of about 8 measures each, 16 inputs) per page


def _allocation_context(request, head, year, posted=None):
    """The frame, the totals of every report in the scheme-year (their stored totals), and
    one page of reports with their measures and the forms; saving saves the page's reports.
    `posted`: the POST of a refused save, whose forms then show what was typed."""
    office, scheme, frame, settings = head
    reports = allocation_queryset(office, scheme, year)
    figures = reports.aggregate(
        count=Count("pk"),
        requested=Sum("requested_total", default=0),
        allocated=Sum("allocated_total", default=0),
    )
    rows = (
        reports.select_related("partnership")
        .only(
            "status",
            "priority",
            "priority_note",
            "partnership__name",
            "requested_total",
            "allocated_owner",
            "allocated_uh",
        )
        # The allocation is checked against the split rule only (allocated_split_findings):
        # whether that rule has an exception is all the page needs to know of exceptions.
        .annotate(
            split_excepted=Exists(
                RuleException.objects.filter(
                    report=OuterRef("pk"), code=rules.UH_SHARE_BELOW_MINIMUM
                )
            )
        )
        .order_by("priority", "partnership__name", "pk")
    )
    page = get_page(request, rows, per_page=ALLOCATION_PAGE_SIZE, count=figures["count"])
    reports = list(page.object_list)
    measures = _measures_of(reports)
    ruleset = rules.RuleSet(
        settings.min_uh_share_percent, settings.cofinancing_percent, settings.coordinator_cap
    )
    # A report the officer has a declared tie to gets no inputs, and says why.
    ties = ties_by_report(request.user, reports)
    for report in reports:
        tie = ties.get(report.pk)
        report.tie_reason = tie_reason(tie) if tie else ""
    measure_forms, report_forms = _formsets(
        [r for r in reports if r.pk not in ties], measures, posted
    )
    forms_of_measures, forms_of_reports = measure_forms.by_row(), report_forms.by_row()
    on_page = 0
    for report in reports:
        report.form = forms_of_reports.get(report.pk)
        report.measure_list = measures[report.pk]
        for measure in report.measure_list:
            measure.form = forms_of_measures.get(measure.pk)
        report.allocation_findings = [
            (describe(f), report.split_excepted and f.code == rules.UH_SHARE_BELOW_MINIMUM)
            for f in allocated_split_findings(report.allocated_owner, report.allocated_uh, ruleset)
        ]
        on_page += report.allocated_owner + report.allocated_uh
    allocated = figures["allocated"]
    committed = frame.committed if frame else committed_total(office.pk, scheme.pk, year)
    amount = frame.amount if frame else 0
    return {
        "office": office,
        "scheme": scheme,
        "year": year,
        "frame": frame,
        "reports": reports,
        "page": page,
        "measure_forms": measure_forms,
        "report_forms": report_forms,
        "allocated": allocated,
        # What the other pages hold: the live total adds this page's inputs to it.
        "allocated_elsewhere": allocated - on_page,
        "committed": committed,
        "remaining": amount - committed - allocated,
        "requested": figures["requested"],
        "commitments": list(commitments_into(office, scheme, year)),
    }


def _formsets(reports, measures, posted):
    """The page's allocation formset (a form per measure, prefilled with what is allocated,
    or what was requested when nothing is) and priority formset (a form per report)."""
    page_measures = [m for report in reports for m in measures[report.pk]]
    initial = []
    for measure in page_measures:
        allocation = getattr(measure, "allocation", None) or measure
        amounts = ("owner_amount", "uh_amount")
        owner, uh = (getattr(allocation, name) for name in amounts)
        initial.append({"measure": measure.pk, "owner": owner, "uh": uh})
    measure_forms = AllocationFormSet(
        posted, prefix="measures", rows=page_measures, initial=initial
    )
    report_forms = PriorityFormSet(
        posted,
        prefix="reports",
        rows=reports,
        initial=[
            {"report": r.pk, "priority": r.priority, "note": r.priority_note} for r in reports
        ],
    )
    return measure_forms, report_forms


def _measures_of(reports):
    """{report id: [its measures, in order]} for a page of reports, with their allocation
    (`allocation`: None when nothing is allocated to the measure)."""
    measures = defaultdict(list)
    rows = (
        Measure.objects.filter(report__in=[r.pk for r in reports])
        .select_related("allocation")
        .only(
            "report_id",
            "name",
            "owner_amount",
            "uh_amount",
            "allocation__owner_amount",
            "allocation__uh_amount",
        )
        .order_by("position", "pk")
    )
    for measure in rows:
        measures[measure.report_id].append(measure)
    return measures


def _head(request, office_pk, scheme_code, year):
    """(office, scheme, frame or None, rule settings): 404 unless the office is one the user
    works for (CountyOffice.editable_by) and the scheme exists."""
    office = get_object_or_404(CountyOffice.objects.editable_by(request.user), pk=office_pk)
    scheme = get_object_or_404(Scheme, code=scheme_code)
    frame = Frame.objects.filter(county_office=office, scheme=scheme, year=year).first()
    return office, scheme, frame, RuleSettings.for_report(office, scheme, year)


def _save_frame(request, office, scheme, year, errors):
    """The frame form: a redirect when saved; else None, with `errors` {input name: message}
    and a message on top. The inputs are then shown as typed."""
    try:
        amount = parse_kroner(request.POST.get("frame_amount")) or 0
    except MoneyError:
        errors["frame_amount"] = _("Whole kroner, e.g. 50 000.")
        messages.error(request, _("Write the frame in whole kroner, e.g. 10 000 000."))
        return None
    frame_set(county_office=office, scheme=scheme, year=year, amount=amount, user=request.user)
    messages.success(request, _("The frame was saved."))
    return redirect(request.path)


def _save_allocations(request, head, year):
    """The priorities and allocations of the page's reports: (True, None) when saved; else
    (False, the page's context), whose forms show what was typed, with a message on top.

    A wrong priority or amount anywhere saves nothing. Allocations exceeding the frame (or no
    frame) are refused all together (allocations_save); the priorities are saved before, in
    a transaction of their own, and stay saved.
    """
    office, scheme = head[:2]
    context = _allocation_context(request, head, year, posted=request.POST)
    measure_forms, report_forms = context["measure_forms"], context["report_forms"]
    if not (measure_forms.is_valid() and report_forms.is_valid()):
        for error in [*measure_forms.non_form_errors(), *report_forms.non_form_errors()]:
            messages.error(request, error)
        messages.error(request, _("Nothing was saved. Correct the fields marked with an error."))
        return False, context
    try:
        priorities_set(
            reports=context["reports"], entries=report_forms.entries(), user=request.user
        )
        allocations_save(
            county_office=office,
            scheme=scheme,
            year=year,
            entries=measure_forms.entries(),
            user=request.user,
        )
    except Refused as error:
        messages.error(request, str(error))
        return False, context
    messages.success(request, _("The allocations were saved."))
    return True, None


def allocation(request, office_pk, scheme_code, year):
    require_officer(request.user)
    head = _head(request, office_pk, scheme_code, year)
    office, scheme = head[:2]
    errors, frame_posted, context = {}, None, None
    if request.method == "POST" and "save_frame" in request.POST:
        response = _save_frame(request, office, scheme, year, errors)
        if response is not None:
            return response
        frame_posted = request.POST
    elif request.method == "POST":
        saved, context = _save_allocations(request, head, year)
        if saved:
            return redirect(request.get_full_path())
    if context is None:
        context = _allocation_context(request, head, year)
    # A refused post: the inputs of the form that was sent show what was typed.
    context.update(errors=errors, frame_posted=frame_posted)
    return render(request, "needs/review/allocation.html", context)


def rescale(request, office_pk, scheme_code, year):
    require_officer(request.user)
    office, scheme, frame, _settings = _head(request, office_pk, scheme_code, year)
    if frame is None:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    raw = data.get("new_amount", "")
    distribute = data.get("distribute") == "1"
    preview = None
    try:
        new_amount = parse_kroner(raw)
    except MoneyError:
        new_amount = None
        messages.error(request, _("Write the new frame in whole kroner."))
    if new_amount is not None:
        if new_amount < frame.committed:
            messages.error(request, _("The new frame is smaller than what is already committed."))
        elif request.method == "POST":
            try:
                rescale_apply(
                    county_office=office,
                    scheme=scheme,
                    year=year,
                    new_amount=new_amount,
                    user=request.user,
                    distribute=distribute,
                )
            except Refused as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The frame was changed and the allocations fitted."))
                return redirect("needs:allocation", office.pk, scheme.code, year)
        else:
            preview = rescale_preview(
                county_office=office,
                scheme=scheme,
                year=year,
                new_amount=new_amount,
                distribute=distribute,
            )
    return render(
        request,
        "needs/review/rescale.html",
        {
            "office": office,
            "scheme": scheme,
            "year": year,
            "frame": frame,
            "preview": preview,
            "raw": raw,
            "distribute": distribute,
        },
    )
