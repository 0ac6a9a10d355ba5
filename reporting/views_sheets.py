"""Spreadsheet exports, the measure import and the statistics page."""

import tablib
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needs.access import get_report_for_user
from needs.collaboration import CONFIRMATION_CLEARED_MESSAGE
from needs.findings import describe
from needs.models import NeedReport
from needs.rules import check_report
from needs.selectors import figures_of, ruleset_for
from partnerships.forms import ImportForm
from partnerships.models import Scheme
from portal import downloads
from portal.spreadsheets import (
    ImportFailed,
    RowError,
    previewed_upload,
    run_import,
    upload_digest,
)
from portal.workflow import Refused

from . import charts, selectors, statistics_selectors
from .measure_import import (
    IMPORT_HEADERS,
    MeasureImportResource,
    measures_import,
    read_measure_file,
    template_datasets,
)
from .resources import (
    CSV_TYPE,
    XLSX_TYPE,
    AllocationExportResource,
    MeasureExportResource,
    NeedReportExportResource,
    PaymentExportResource,
    statistics_datasets,
    to_csv,
    to_xlsx,
)


def _download(datasets, fmt, name):
    if fmt == "csv":
        response = HttpResponse(to_csv(datasets[0]), content_type=CSV_TYPE)
    else:
        response = HttpResponse(to_xlsx(*datasets), content_type=XLSX_TYPE)
    return downloads.attach(response, downloads.file_name(name, ext=fmt))


def _name(base, filters):
    return downloads.file_slug("-".join(str(p) for p in (base, filters.scheme, filters.year) if p))


def exports(request):
    filters = selectors.Filters.from_request(request)
    query = request.GET.urlencode()
    context = {
        "filters": filters,
        "query": f"?{query}" if query else "",
        "years": NeedReport.objects.visible_to(request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct(),
        "schemes": Scheme.objects.all(),
        "is_officer": selectors.is_officer(request.user),
    }
    return render(request, "reporting/sheets/exports.html", context)


def export_reports(request, fmt):
    filters = selectors.Filters.from_request(request)
    reports = selectors.export_reports(request.user, filters)
    dataset = NeedReportExportResource().dataset(reports, "Behovsmeldinger")
    return _download([dataset], fmt, _name("behovsmeldinger", filters))


def export_measures(request, fmt):
    filters = selectors.Filters.from_request(request)
    measures = selectors.export_measures(request.user, filters)
    dataset = MeasureExportResource().dataset(measures, "Tiltak")
    return _download([dataset], fmt, _name("tiltak", filters))


def report_measures(request, pk, fmt):
    report = get_report_for_user(request, pk)
    measures = selectors.export_measures(request.user, None, report=report)
    dataset = MeasureExportResource().dataset(measures, "Tiltak")
    name = downloads.file_slug(
        f"tiltak-{report.partnership.name}-{report.scheme.code}-{report.year}"
    )
    return _download([dataset], fmt, name)


def export_allocations(request, fmt):
    filters = selectors.Filters.from_request(request)
    measures = selectors.export_measures(request.user, filters, allocations=True)
    dataset = AllocationExportResource().dataset(measures, "Tildelinger")
    return _download([dataset], fmt, _name("tildelinger", filters))


def export_payments(request, fmt):
    filters = selectors.Filters.from_request(request)
    lines = selectors.payment_lines(request.user, filters)
    dataset = PaymentExportResource().dataset(lines, "Utbetalinger")
    return _download([dataset], fmt, _name("utbetalinger", filters))


# Import ----------------------------------------------------------------------------------


class MeasureImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Columns as in the template: %(columns)s. Only “Navn” is required."
        ) % {"columns": ", ".join(IMPORT_HEADERS)}


def measure_import_template(request, fmt):
    return _download(template_datasets(), fmt, "tiltak-mal")


def _session_key(report):
    return f"measure_import_{report.pk}"


def _file_rows(errors):
    """Import rows count from 1 after the heading; in the file they are one further down."""
    return [RowError(e.row + 1, e.field, e.message) for e in errors]


def _preview(report, result):
    new = [row.instance for row in result.rows if row.import_type == "new"]
    measures = list(report.measures.all()) + new
    findings = check_report(figures_of(measures), ruleset_for(report), report.cofinancing_amount)
    owner = sum(m.owner_amount for m in measures)
    uh = sum(m.uh_amount for m in measures)
    return {
        "new": new,
        "existing_count": len(measures) - len(new),
        "owner": owner,
        "uh": uh,
        "total": owner + uh,
        "findings": [describe(f) for f in findings],
    }


def measure_import(request, pk):
    """Upload → dry-run preview with row errors → confirm → all-or-nothing import."""
    report = get_report_for_user(request, pk, write=True)
    form = MeasureImportForm(request.POST or None, request.FILES or None)
    context = {"report": report, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            digest = upload_digest(form.cleaned_data["file"])
            dataset = read_measure_file(form.cleaned_data["file"])
            result = run_import(MeasureImportResource(report=report), dataset, dry_run=True)
        except ValueError as exc:
            form.add_error("file", str(exc))
        except ImportFailed as failed:
            context["errors"] = _file_rows(failed.errors)
        else:
            request.session[_session_key(report)] = {
                "digest": digest,
                "headers": list(dataset.headers),
                "rows": [list(row) for row in dataset],
            }
            context["preview"] = _preview(report, result)
            context["digest"] = digest
    return render(request, "reporting/sheets/measure_import.html", context)


@require_POST
def measure_import_confirm(request, pk):
    report = get_report_for_user(request, pk, write=True)
    data = previewed_upload(request, _session_key(report))
    if data is None:
        return redirect("reporting:measure_import", report.pk)
    dataset = tablib.Dataset(*data["rows"], headers=data["headers"])
    try:
        result, cleared = measures_import(report=report, user=request.user, dataset=dataset)
    except ImportFailed as failed:
        context = {
            "report": report,
            "form": MeasureImportForm(),
            "errors": _file_rows(failed.errors),
        }
        return render(request, "reporting/sheets/measure_import.html", context)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(report)
    messages.success(
        request, _("%(count)d measures were imported.") % {"count": result.totals["new"]}
    )
    if cleared:
        messages.warning(request, CONFIRMATION_CLEARED_MESSAGE)
    return redirect(report)


# Statistics ------------------------------------------------------------------------------


def _charts(stats):
    requested, allocated = _("Requested"), _("Allocated")

    def amounts(chart_id, title, rows):
        return charts.bar_chart(
            chart_id=chart_id,
            title=title,
            description=_("Requested and allocated kroner. The numbers are in the table below."),
            labels=[row.label for row in rows],
            series=[
                (requested, [row.requested for row in rows]),
                (allocated, [row.allocated for row in rows]),
            ],
        )

    def counts(chart_id, title, rows):
        return charts.bar_chart(
            chart_id=chart_id,
            title=title,
            description=_("Number of need reports. The numbers are in the table below."),
            labels=[row.label for row in rows],
            series=[(_("Need reports"), [row.count for row in rows])],
            value_format=charts.count_label,
        )

    return {
        "scheme": amounts("chart-scheme", _("Requested and allocated per scheme"), stats.by_scheme),
        "region": amounts("chart-region", _("Requested and allocated per region"), stats.by_region),
        "year": charts.line_chart(
            chart_id="chart-year",
            title=_("Requested and allocated per year"),
            description=_("Trend over the years. The numbers are in the table below."),
            labels=[row.label for row in stats.by_year],
            series=[
                (requested, [row.requested for row in stats.by_year]),
                (allocated, [row.allocated for row in stats.by_year]),
            ],
        ),
        "uh_share": counts("chart-uh-share", _("Need reports by UH share"), stats.uh_share),
        "status": counts("chart-status", _("Need reports by status"), stats.by_status),
    }


def statistics(request):
    stats = statistics_selectors.statistics(request.user, selectors.Filters.from_request(request))
    query = request.GET.urlencode()
    context = {
        "stats": stats,
        "charts": _charts(stats),
        "query": f"?{query}" if query else "",
    }
    return render(request, "reporting/statistics.html", context)


def statistics_xlsx(request):
    filters = selectors.Filters.from_request(request)
    stats = statistics_selectors.statistics(request.user, filters)
    return _download(statistics_datasets(stats), "xlsx", _name("statistikk", stats.filters))
