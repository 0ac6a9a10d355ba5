"""Spreadsheets of the reporting app: exports (XLSX, CSV) and the measure import.

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
from django.db.models import Max
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from measures.models import Measure
from needs.models import NeedReport
from portal.forms import MONEY_MESSAGES
from portal.money import MoneyError, parse_kroner
from portal.spreadsheets import load_dataset, neutralise

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
    owner = column("Eier (kr)", "owner_sum")
    uh = column("UH (kr)", "uh_sum")
    total = column("Totalt (kr)")
    uh_share = column("UH-andel (%)")

    def dehydrate_status(self, report):
        return STATUS_NB.get(report.status, report.status)

    def dehydrate_total(self, report):
        return report.owner_sum + report.uh_sum

    def dehydrate_uh_share(self, report):
        return uh_share(report.uh_sum, report.owner_sum + report.uh_sum)


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

    def __init__(self, *, shows_allocation, **kwargs):
        super().__init__(**kwargs)
        self.shows_allocation = shows_allocation

    def _allocation(self, measure):
        if not self.shows_allocation(measure.report):
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


# Import ----------------------------------------------------------------------------------

NAME = "Navn"
OWNER = "Eier (kr)"
UH = "UH (kr)"
PURPOSE = "Formål"
TARGET_GROUP = "Målgruppe"
OWNER_USE = "Eiers bruk"
UH_USE = "UHs bruk"
COORDINATOR = "Koordinatormidler (kr)"
SPRING = "Vår"
AUTUMN = "Høst"
SPRING_NEXT = "Vår året etter"
ANCHORING = "Forankring"
COLLECTIVE = "Kollektiv utvikling"
TEACHER_EDUCATION = "Lærerutdanning"
LONG_TERM_PLAN = "Langsiktig plan"

IMPORT_HEADERS = [
    NAME,
    OWNER,
    UH,
    PURPOSE,
    TARGET_GROUP,
    OWNER_USE,
    UH_USE,
    COORDINATOR,
    SPRING,
    AUTUMN,
    SPRING_NEXT,
    ANCHORING,
    COLLECTIVE,
    TEACHER_EDUCATION,
    LONG_TERM_PLAN,
]
# Other spellings people use, and the measure export's own headings (so it imports back).
HEADER_ALIASES = {
    "tiltak": NAME,
    "navn på tiltaket": NAME,
    "eier": OWNER,
    "uh": UH,
    "koordinatormidler": COORDINATOR,
}
MAX_ROWS = 500

GUIDE = [
    (NAME, "Tiltakets navn. Må fylles ut."),
    (OWNER, "Eiers del i hele kroner, f.eks. 120 000. Tom betyr 0."),
    (UH, "UHs del i hele kroner, f.eks. 125 000. Tom betyr 0."),
    (PURPOSE, "Vurdering/analyse, Planlegging av tiltak eller Gjennomføring av tiltak."),
    (TARGET_GROUP, "Fritekst, f.eks. Alle ansatte."),
    (OWNER_USE, "Hvordan eiers del skal brukes."),
    (UH_USE, "Hvordan UHs del skal brukes."),
    (COORDINATOR, "Koordinatormidler i tiltaket (hele kroner), eller tom."),
    (SPRING, "Ja hvis tiltaket går våren i året meldingen gjelder."),
    (AUTUMN, "Ja hvis tiltaket går høsten i året meldingen gjelder."),
    (SPRING_NEXT, "Ja hvis tiltaket går våren året etter."),
    (ANCHORING, "Hvordan tiltaket er forankret i barnehagene/skolene og i dialog med UH."),
    (COLLECTIVE, "Hvordan tiltaket fremmer kollektive prosesser."),
    (TEACHER_EDUCATION, "Hvordan samarbeidet styrker lærerutdanningen."),
    (LONG_TERM_PLAN, "Hvordan tiltaket er forankret i langsiktig plan."),
]


def template_datasets():
    """The import template: an empty sheet with the headings, and a guide."""
    sheet = tablib.Dataset(headers=IMPORT_HEADERS, title="Tiltak")
    guide = tablib.Dataset(*GUIDE, headers=["Kolonne", "Forklaring"], title="Veiledning")
    return sheet, guide


def _plain(value):
    """Cell values the session can keep as JSON: dates and the like become text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def read_measure_file(upload):
    """A Dataset with the template's headings from an uploaded CSV or XLSX; ValueError if not.

    CSV may be comma- or semicolon-separated (Norwegian Excel), UTF-8 or Windows-1252.
    Row numbers stay those of the file: blank rows are kept (the import skips them).
    """
    if upload.name.lower().endswith(".xlsx"):
        loaded = load_dataset(upload)
        headers, rows = list(loaded.headers or []), [list(row) for row in loaded]
    else:
        content = upload.read()
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        parsed = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        headers, rows = (parsed[0], parsed[1:]) if parsed else ([], [])
    while rows and not any(_filled(v) for v in rows[-1]):
        rows.pop()
    known = {h.lower(): h for h in IMPORT_HEADERS} | HEADER_ALIASES
    headers = [known.get(str(h or "").strip().lower(), str(h or "").strip()) for h in headers]
    if NAME not in headers:
        raise ValueError(
            _("The file has no column “%(name)s”. Use the column headings of the template.")
            % {"name": NAME}
        )
    if not rows:
        raise ValueError(_("The file has no measures."))
    if len(rows) > MAX_ROWS:
        raise ValueError(
            _("The file has more than %(max)d rows. Split it into several files.")
            % {"max": MAX_ROWS}
        )
    width = len(headers)
    rows = [[_plain(v) for v in (row + [None] * width)[:width]] for row in rows]
    return tablib.Dataset(*rows, headers=headers)


def _filled(value):
    return value is not None and str(value).strip() != ""


class KronerWidget(widgets.Widget):
    """Whole kroner as people type them ('1 544 000', 'kr 50 000'), with the form's messages."""

    def __init__(self, empty=None):
        super().__init__()
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(str(MONEY_MESSAGES["decimals"]))
            value = int(value)
        try:
            parsed = parse_kroner(value)
        except MoneyError as error:
            raise ValueError(str(MONEY_MESSAGES[error.code])) from None
        return self.empty if parsed is None else parsed


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


class NameWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        name = super().clean(value, row, **kwargs)
        if not name:
            raise ValueError(_("The measure needs a name."))
        return name


class PurposeWidget(widgets.Widget):
    """The purpose by its Norwegian label (any case), its code, or its label in the UI."""

    def clean(self, value, row=None, **kwargs):
        word = str(value or "").strip().lower()
        if not word:
            return ""
        for purpose in Purpose:
            names = {purpose.value, PURPOSE_NB[purpose].lower(), str(purpose.label).lower()}
            if word in names:
                return purpose.value
        raise ValueError(
            _("Unknown purpose “%(value)s”. Use %(choices)s.")
            % {"value": value, "choices": ", ".join(PURPOSE_NB.values())}
        )


YES_WORDS = {"ja", "j", "yes", "y", "x", "1", "true", "sann"}
NO_WORDS = {"nei", "n", "no", "0", "false", "usann", ""}


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        word = str(value if value is not None else "").strip().lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise ValueError(_("Write Ja or Nei (or leave it empty)."))


def _field(attribute, header, widget):
    return fields.Field(attribute=attribute, column_name=header, widget=widget)


class MeasureImportResource(resources.ModelResource):
    """New measures appended to one report; existing measures are never changed."""

    name = _field("name", NAME, NameWidget())
    owner_amount = _field("owner_amount", OWNER, KronerWidget(empty=0))
    uh_amount = _field("uh_amount", UH, KronerWidget(empty=0))
    purpose = _field("purpose", PURPOSE, PurposeWidget())
    target_group = _field("target_group", TARGET_GROUP, TextWidget())
    owner_use = _field("owner_use", OWNER_USE, TextWidget())
    uh_use = _field("uh_use", UH_USE, TextWidget())
    coordinator_amount = _field("coordinator_amount", COORDINATOR, KronerWidget())
    spring_this_year = _field("spring_this_year", SPRING, YesNoWidget())
    autumn_this_year = _field("autumn_this_year", AUTUMN, YesNoWidget())
    spring_next_year = _field("spring_next_year", SPRING_NEXT, YesNoWidget())
    anchoring = _field("anchoring", ANCHORING, TextWidget())
    collective_development = _field("collective_development", COLLECTIVE, TextWidget())
    teacher_education = _field("teacher_education", TEACHER_EDUCATION, TextWidget())
    long_term_plan = _field("long_term_plan", LONG_TERM_PLAN, TextWidget())

    class Meta:
        model = Measure
        fields = [
            "name",
            "owner_amount",
            "uh_amount",
            "purpose",
            "target_group",
            "owner_use",
            "uh_use",
            "coordinator_amount",
            "spring_this_year",
            "autumn_this_year",
            "spring_next_year",
            "anchoring",
            "collective_development",
            "teacher_education",
            "long_term_plan",
        ]
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        store_instance = True

    def __init__(self, *, report, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        self.next_position = 1

    def before_import(self, dataset, **kwargs):
        last = self.report.measures.aggregate(last=Max("position"))["last"] or 0
        self.next_position = last + 1

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.report = self.report

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not any(_filled(value) for value in row.values())

    def before_save_instance(self, instance, row, **kwargs):
        instance.position = self.next_position
        self.next_position += 1
        if instance.coordinator_amount is not None:
            instance.coordinator_funds_needed = instance.coordinator_amount > 0
