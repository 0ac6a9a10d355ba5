"""Spreadsheets of the reporting app: exports (XLSX, CSV) and the file writers; the measure
import is in measure_import.py.

Column headers and values such as statuses are Norwegian data, the same in bokmål and
nynorsk (as in partnerships/resources.py). Every exported cell passes through
`portal.spreadsheets.neutralise`, both in the resources and again in the file writers,
so no cell can start a formula.
"""

import csv
import io
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import tablib
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from measures.models import Measure
from needs.models import NeedReport
from portal.spreadsheets import neutralise

Status = NeedReport.Status
Purpose = Measure.Purpose

STATUS_NB = {
    Status.DRAFT: "Utkast",
    Status.SUBMITTED: "Sendt inn",
    Status.RETURNED: "Returnert for endringer",
    Status.REVIEWED: "Behandlet",
    Status.ALLOCATED: "Tildelt",
    Status.REJECTED: "Avslått",
}
PURPOSE_NB = {
    Purpose.ASSESSMENT: "Vurdering/analyse",
    Purpose.PLANNING: "Planlegging av tiltak",
    Purpose.IMPLEMENTATION: "Gjennomføring av tiltak",
}
SHARE_NB = {
    "lt50": "Under 50 %",
    "50-60": "50 % til under 60 %",
    "60-70": "60 % til under 70 %",
    "70-80": "70 % til under 80 %",
    "80+": "80 % eller mer",
    "none": "Ingen beløp",
}
YES, NO = "Ja", "Nei"


def uh_share(uh, total):
    """The UH share in percent with one decimal (half up, integer arithmetic); None if 0."""
    if not total:
        return None
    return Decimal((2000 * uh + total) // (2 * total)) / 10


# Writing files ---------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_COLUMN_WIDTH = 60


def _xlsx_cell(value):
    if value is None or isinstance(value, int | float | Decimal | date | datetime | time):
        return value
    # Control characters are not allowed in XLSX; remove them before neutralising, so
    # "\x01=1" cannot turn into a formula.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def to_xlsx(*datasets):
    """One workbook with a sheet per dataset: bold, frozen header row, sensible widths."""
    workbook = Workbook(write_only=True)
    for number, dataset in enumerate(datasets, start=1):
        sheet = workbook.create_sheet(title=(dataset.title or f"Ark {number}")[:31])
        widths = [len(str(h)) + 2 for h in dataset.headers]
        for row in dataset:
            for i, value in enumerate(row[: len(widths)]):
                widths[i] = max(widths[i], min(len(str(value)) + 2, MAX_COLUMN_WIDTH))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for title in dataset.headers:
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(title))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in dataset:
            sheet.append([_xlsx_cell(value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _csv_cell(value):
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


def to_csv(dataset):
    """Semicolon-separated UTF-8 with a byte order mark: what Norwegian Excel opens."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in dataset.headers])
    for row in dataset:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


# Exports ---------------------------------------------------------------------------------


class NativeWidget(widgets.Widget):
    """Keeps numbers as numbers, so a spreadsheet can sum them."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


def column(header, attribute=None):
    return fields.Field(
        attribute=attribute, column_name=header, widget=NativeWidget(), readonly=True
    )


class ExportResource(resources.Resource):
    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        """One row: as export_field does for each field, with the dispatch worked out once
        per export instead of once per cell (thousands of rows times 24 columns)."""
        key = tuple(selected_fields) if selected_fields else None
        cached = getattr(self, "_row_getters", None)
        if cached is None or cached[0] != key:
            getters = []
            for field in self.get_export_fields(selected_fields):
                dehydrate = field.get_dehydrate_method(self.get_field_name(field))
                method = dehydrate if callable(dehydrate) else getattr(self, dehydrate, None)
                getters.append(method or field.export)
            cached = self._row_getters = (key, getters)
        return [neutralise(get(instance)) for get in cached[1]]

    def dataset(self, rows, title):
        dataset = self.export(rows)
        dataset.title = title
        return dataset


class NeedReportExportResource(ExportResource):
    id = column("Behovsmelding-ID", "pk")
    year = column("År", "year")
    scheme = column("Ordning", "scheme__short_name")
    partnership = column("Partnerskap", "partnership__name")
    region = column("Region", "partnership__region__name")
    county_office = column("Statsforvalter", "partnership__region__county_office__name")
    status = column("Status")
    owner = column("Eier (kr)", "requested_owner")
    uh = column("UH (kr)", "requested_uh")
    total = column("Totalt (kr)", "requested_total")
    uh_share = column("UH-andel (%)")

    def dehydrate_status(self, report):
        return STATUS_NB.get(report.status, report.status)

    def dehydrate_uh_share(self, report):
        return uh_share(report.requested_uh, report.requested_total)


class ReportColumns(ExportResource):
    """The report's columns in front of each measure row."""

    report = column("Behovsmelding-ID", "report_id")
    year = column("År", "report__year")
    scheme = column("Ordning", "report__scheme__short_name")
    partnership = column("Partnerskap", "report__partnership__name")
    region = column("Region", "report__partnership__region__name")
    county_office = column("Statsforvalter", "report__partnership__region__county_office__name")
    status = column("Status")
    number = column("Nr", "number")
    name = column("Tiltak", "name")

    def dehydrate_status(self, measure):
        return STATUS_NB.get(measure.report.status, measure.report.status)


def yes_no(value):
    return YES if value else NO


class MeasureExportResource(ReportColumns):
    purpose = column("Formål")
    owner = column("Eier (kr)", "owner_amount")
    uh = column("UH (kr)", "uh_amount")
    total = column("Totalt (kr)", "total")
    spring = column("Vår")
    autumn = column("Høst")
    spring_next = column("Vår året etter")
    target_group = column("Målgruppe", "target_group")
    owner_use = column("Eiers bruk", "owner_use")
    uh_use = column("UHs bruk", "uh_use")
    coordinator = column("Koordinatormidler (kr)", "coordinator_amount")
    anchoring = column("Forankring", "anchoring")
    collective = column("Kollektiv utvikling", "collective_development")
    teacher_education = column("Lærerutdanning", "teacher_education")
    long_term_plan = column("Langsiktig plan", "long_term_plan")

    def dehydrate_purpose(self, measure):
        return PURPOSE_NB.get(measure.purpose, measure.purpose)

    def dehydrate_spring(self, measure):
        return yes_no(measure.spring_this_year)

    def dehydrate_autumn(self, measure):
        return yes_no(measure.autumn_this_year)

    def dehydrate_spring_next(self, measure):
        return yes_no(measure.spring_next_year)


class AllocationExportResource(ReportColumns):
    requested_owner = column("Søkt eier (kr)", "owner_amount")
    requested_uh = column("Søkt UH (kr)", "uh_amount")
    requested = column("Søkt totalt (kr)", "total")
    allocated_owner = column("Tildelt eier (kr)")
    allocated_uh = column("Tildelt UH (kr)")
    allocated = column("Tildelt totalt (kr)")

    def _allocation(self, measure):
        """None unless the measure's allocation is shown to the user (`allocation_shown`,
        from NeedReport.allocations_shown_to: reporting.selectors.export_measures)."""
        if not measure.allocation_shown:
            return None
        return getattr(measure, "allocation", None)

    def dehydrate_allocated_owner(self, measure):
        allocation = self._allocation(measure)
        return allocation.owner_amount if allocation else None

    def dehydrate_allocated_uh(self, measure):
        allocation = self._allocation(measure)
        return allocation.uh_amount if allocation else None

    def dehydrate_allocated(self, measure):
        allocation = self._allocation(measure)
        return allocation.total if allocation else None


class PaymentExportResource(ExportResource):
    name = column("Mottaker", "name")
    org_number = column("Organisasjonsnummer", "org_number")
    account_number = column("Kontonummer", "account_number")
    payment_reference = column("Merking", "payment_reference")
    scheme = column("Ordning", "scheme")
    year = column("År", "year")
    amount = column("Beløp (kr)", "amount")
    kind = column("Mottakertype", "kind")
    partnership = column("Partnerskap", "partnership")
    county_office = column("Statsforvalter", "county_office")


def statistics_datasets(stats):
    """The statistics page's figures as sheets, with the same numbers as its tables."""
    amount_headers = [
        "Behovsmeldinger",
        "Søkt eier (kr)",
        "Søkt UH (kr)",
        "Søkt totalt (kr)",
        "UH-andel søkt (%)",
        "Tildelt eier (kr)",
        "Tildelt UH (kr)",
        "Tildelt totalt (kr)",
        "UH-andel tildelt (%)",
    ]

    def amounts(title, first, rows):
        dataset = tablib.Dataset(headers=[first, *amount_headers], title=title)
        for row in rows:
            dataset.append(
                [
                    row.label,
                    row.reports,
                    row.requested_owner,
                    row.requested_uh,
                    row.requested,
                    uh_share(row.requested_uh, row.requested),
                    row.allocated_owner,
                    row.allocated_uh,
                    row.allocated,
                    uh_share(row.allocated_uh, row.allocated),
                ]
            )
        return dataset

    def counts(title, first, rows):
        dataset = tablib.Dataset(headers=[first, "Behovsmeldinger"], title=title)
        for row in rows:
            dataset.append([row.label, row.count])
        return dataset

    def in_norwegian(rows, labels):
        return [replace(row, label=labels.get(row.key, row.label)) for row in rows]

    return [
        amounts("Per ordning", "Ordning", [*stats.by_scheme, replace(stats.total, label="Sum")]),
        amounts("Per region", "Region", stats.by_region),
        amounts("Per år", "År", stats.by_year),
        counts("UH-andel", "UH-andel søkt", in_norwegian(stats.uh_share, SHARE_NB)),
        counts("Status", "Status", in_norwegian(stats.by_status, STATUS_NB)),
    ]
