"""The annual report's pages: the report (read, write, confirm, review), its PDF, and the
county office's status list, deadline and export. Its comments are posted, changed and
deleted through the need report's comment views (needs/views_comments.py)."""

import tablib
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needs.changes import latest_approved
from needs.models import NeedReport
from needs.views import comment_context
from partnerships.access import managed_county_offices, require_officer
from partnerships.models import Scheme
from portal import downloads, params
from portal.forms import PARTLY_SAVED, based_on, expected_version, save_valid_fields
from portal.texts import LONG, posted_text
from portal.workflow import Refused

from . import access, annual, pdf
from . import annual_selectors as selectors
from .annual_forms import AnnualMeasureForm, AnnualReportForm, DeadlineForm
from .annual_models import AnnualReport
from .models_deadlines import Deadline
from .resources import XLSX_TYPE, to_xlsx

Status = AnnualReport.Status


def _attachment(content, filename, content_type="application/pdf"):
    return downloads.attach(HttpResponse(content, content_type=content_type), filename)


def _detail(pk):
    return redirect("reporting:annual_detail", pk)


def annual_detail(request, pk):
    need_report, report = access.get_annual_for_user(request, pk)
    user = request.user
    context = {
        "report": need_report,
        "annual": report,
        "deadline": selectors.deadline_for(need_report),
        "can_read": access.can_read(user, need_report, report),
        "can_edit": access.can_edit(user, need_report, report),
        "can_confirm": access.can_confirm(user, need_report, report),
        "can_review": access.can_review(user, need_report, report),
        # Spending is compared with the allocation as it is now: after the newest approved
        # change request, if there is one (the page says so).
        "latest_change": latest_approved(need_report),
        # The PDF is in the partnership's language form (språklova § 15): said where a user
        # of the other form downloads it.
        "document_language": need_report.partnership.language,
    }
    if context["can_read"]:
        lines = selectors.annual_lines(report)
        summary = selectors.annual_summary(report, lines)
        context.update(
            summary=summary,
            confirmation=selectors.uh_confirmation(report),
            versions=list(report.versions.all()),
            unused_choices=AnnualReport.UnusedHandling.choices,
            **comment_context(request, report),
        )
        if context["can_edit"]:
            context["problems"] = selectors.submission_problems(report, summary)
    return render(request, "reporting/annual/annual_detail.html", context)


@require_POST
def annual_start(request, pk):
    need_report, _report = access.get_annual_for_user(request, pk, check=access.can_edit)
    try:
        annual.annual_report_start(need_report=need_report, user=request.user)
    except Refused as error:
        _refused(request, error)
        return _detail(pk)
    return redirect("reporting:annual_edit", pk)


def annual_edit(request, pk):
    """Amounts used and the evaluation, per measure. Saves everything that is valid."""
    need_report, report = access.get_annual_for_user(request, pk, check=access.can_edit)
    if report is None:
        return _detail(pk)
    lines = selectors.annual_lines(report)
    data = request.POST if request.method == "POST" else None
    form = AnnualReportForm(data, instance=report)
    line_forms = [
        AnnualMeasureForm(
            data,
            instance=line,
            prefix=f"m{line.pk}",
            multi_year=selectors.is_multi_year(line.measure),
        )
        for line in lines
    ]
    conflict = False
    if request.method == "POST":
        valid = all([form.is_valid(), *[f.is_valid() for f in line_forms]])
        expected = expected_version(form)
        if expected is None:
            return HttpResponseBadRequest(_("The form was incomplete. Nothing was saved."))
        try:
            saved = annual.annual_report_save(
                annual=report,
                user=request.user,
                expected_version=expected,
                fields=save_valid_fields(form, report),
                lines=[(f.instance, save_valid_fields(f, f.instance)) for f in line_forms],
            )
        except Refused as refused:
            # What was typed stays in the form, with the reason nothing was saved.
            messages.error(request, str(refused))
        else:
            if saved and valid:
                messages.success(request, _("Saved."))
                return _detail(pk)
            if saved:
                messages.error(request, PARTLY_SAVED)
            else:
                conflict = True
                report.refresh_from_db()
            # The next save builds on what is in the database now.
            based_on(form, report.lock_version)
    summary = selectors.annual_summary(report, lines)
    rows = [(row, line_form) for row, line_form in zip(summary.rows, line_forms, strict=True)]
    context = {
        "report": need_report,
        "annual": report,
        "form": form,
        "rows": rows,
        "summary": summary,
        "conflict": conflict,
    }
    return render(request, "reporting/annual/annual_form.html", context)


def _refused(request, error):
    for problem in getattr(error, "problems", [error.message]):
        messages.error(request, problem)


@require_POST
def annual_submit(request, pk):
    _need_report, report = access.get_annual_for_user(request, pk, check=access.can_edit)
    if report is None:
        raise Http404
    try:
        annual.annual_report_submit(annual=report, user=request.user)
    except Refused as error:
        _refused(request, error)
        messages.error(request, _("The annual report was not submitted. Fix the points above."))
    else:
        messages.success(
            request, _("The annual report was submitted to the county office. It is now locked.")
        )
    return _detail(pk)


@require_POST
def annual_confirm(request, pk):
    _need_report, report = access.get_annual_for_user(request, pk, check=access.can_confirm)
    try:
        confirmed = annual.annual_report_confirm_uh(annual=report, user=request.user)
    except Refused as error:
        _refused(request, error)
    else:
        if confirmed:
            messages.success(request, _("You have confirmed the UH spending."))
    return _detail(pk)


@require_POST
def annual_review(request, pk):
    _need_report, report = access.get_annual_for_user(request, pk, check=access.is_reviewer)
    action = request.POST.get("action")
    try:
        if action == "return":
            annual.annual_report_return(
                annual=report, user=request.user, message=posted_text(request, "message", LONG)
            )
            messages.success(request, _("The annual report was returned to the coordinators."))
        elif action == "approve":
            annual.annual_report_approve(
                annual=report,
                user=request.user,
                unused_handling=request.POST.get("unused_handling", ""),
            )
            messages.success(request, _("The annual report was approved."))
        else:
            raise annual.AnnualReportError(_("Unknown action."))
    except Refused as error:
        _refused(request, error)
    return _detail(pk)


# PDF -------------------------------------------------------------------------------------


def _readable(request, pk):
    need_report, report = access.get_annual_for_user(request, pk)
    if not access.can_read(request.user, need_report, report):
        raise Http404("No annual report to show.")
    return need_report, report


def annual_pdf(request, pk):
    """The annual report as it is now; while it can change it carries UTKAST."""
    need_report, report = _readable(request, pk)
    data = selectors.build_snapshot(report, selectors.annual_summary(report))
    content = pdf.render_annual_report(
        data, report=report, language=need_report.partnership.language, draft=report.is_editable
    )
    suffix = "utkast" if report.is_editable else ""
    return _attachment(content, pdf.annual_filename(need_report, suffix))


def annual_version_pdf(request, pk, number):
    need_report, report = _readable(request, pk)
    version = get_object_or_404(report.versions, number=number)
    content = pdf.render_annual_report(
        version.snapshot,
        report=report,
        language=need_report.partnership.language,
        draft=False,
        version=version,
    )
    return _attachment(content, pdf.annual_filename(need_report, f"v{version.number}"))


# The county office -----------------------------------------------------------------------


def _status_filters(request, offices):
    years = list(
        NeedReport.objects.filter(
            partnership__region__county_office__in=offices, status=NeedReport.Status.ALLOCATED
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    year = params.query_year(request, default=years[0] if years else None)
    return years, year, request.GET.get("scheme", "")


def annual_status(request):
    """Every allocated need report of the year in the officer's counties, with the status of
    its annual report: not started, draft, submitted, returned, approved."""
    require_officer(request.user)
    offices = list(managed_county_offices(request.user))
    years, year, scheme = _status_filters(request, offices)
    rows = selectors.county_status(offices, year, scheme) if year else []
    by_office = {}
    for deadline in (
        Deadline.objects.editable_by(request.user)
        .filter(county_office__in=offices, year=year, kind=Deadline.Kind.ANNUAL_REPORT)
        .select_related("scheme")
        .order_by("scheme__order")
    ):
        by_office.setdefault(deadline.county_office_id, []).append(deadline)
    office_deadlines = []
    for office in offices:
        # One date for all the year's schemes (as set here), or each scheme's when they
        # were set apart on the deadlines page.
        theirs = by_office.get(office.pk, [])
        dates = {d.due_date for d in theirs}
        same = dates.pop() if len(dates) == 1 else None
        form = DeadlineForm(initial={"due_date": same}, prefix=f"office{office.pk}")
        office_deadlines.append((office, theirs, same, form))
    counts = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    context = {
        "rows": rows,
        "years": years,
        "year": year,
        "scheme": scheme,
        "schemes": Scheme.objects.all(),
        "office_deadlines": office_deadlines,
        "status_counts": [
            (label, counts.get(value, 0))
            for value, label in [("not_started", _("Not started")), *Status.choices]
        ],
    }
    return render(request, "reporting/annual/annual_status.html", context)


@require_POST
def annual_deadline(request, office_pk, year):
    require_officer(request.user)
    office = get_object_or_404(managed_county_offices(request.user), pk=office_pk)
    form = DeadlineForm(request.POST, prefix=f"office{office.pk}")
    if form.is_valid():
        annual.deadline_set(
            county_office=office,
            year=year,
            due_date=form.cleaned_data["due_date"],
            user=request.user,
        )
        messages.success(request, _("The deadline was saved."))
    else:
        messages.error(request, _("Write the deadline as a date, e.g. 01.02.2025."))
    return redirect(f"{reverse('reporting:annual_status')}?year={year}")


def annual_export(request):
    """The status list (sheet 1) and the submitted measures with their evaluation (sheet 2)."""
    require_officer(request.user)
    offices = list(managed_county_offices(request.user))
    _years, year, scheme = _status_filters(request, offices)
    status_sheet = tablib.Dataset(
        headers=[
            _("Partnership"),
            _("Region"),
            _("Scheme"),
            _("Year"),
            _("Status"),
            _("Allocated (kr)"),
            _("Used by owner (kr)"),
            _("Used by UH (kr)"),
            _("Unused (kr)"),
            _("Unused funds"),
            _("Submitted"),
        ],
        title=_("Status"),
    )
    for row in selectors.county_status(offices, year, scheme) if year else []:
        submitted = row.annual.submitted_at if row.annual and row.totals else None
        status_sheet.append(
            [
                row.report.partnership.name,
                row.report.partnership.region.name,
                row.report.scheme.short_name,
                row.report.year,
                str(row.status_label),
                row.allocated,
                row.totals.used_owner if row.totals else None,
                row.totals.used_uh if row.totals else None,
                row.totals.unused if row.totals else None,
                row.annual.get_unused_handling_display() if row.annual else "",
                submitted.strftime("%d.%m.%Y") if submitted else "",
            ]
        )
    measure_sheet = tablib.Dataset(
        headers=[
            _("Partnership"),
            _("Scheme"),
            _("Measure"),
            _("Allocated owner (kr)"),
            _("Used by owner (kr)"),
            _("Allocated UH (kr)"),
            _("Used by UH (kr)"),
            _("Effect/result"),
            _("Process"),
            _("Structure"),
            _("Changes to the plan for years 2 and 3"),
        ],
        title=_("Measures"),
    )
    for line in selectors.submitted_lines(offices, year, scheme) if year else []:
        spending = selectors.spending_line(line)
        need_report = line.annual_report.need_report
        measure_sheet.append(
            [
                need_report.partnership.name,
                need_report.scheme.short_name,
                line.measure.name,
                spending.allocated_owner,
                line.owner_used,
                spending.allocated_uh,
                line.uh_used,
                line.effect,
                line.process,
                line.structure,
                line.plan_changes,
            ]
        )
    scheme_code = Scheme.objects.filter(code=scheme).values_list("code", flat=True).first()
    name = downloads.file_name("rapporter", scheme_code, year, ext="xlsx")
    return _attachment(to_xlsx(status_sheet, measure_sheet), name, XLSX_TYPE)
