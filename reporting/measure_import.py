"""Import of measures into a draft need report from XLSX/CSV: the template, reading the file,
and the import-export resource that validates every row (all or nothing)."""

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from measures.amounts import AMOUNT_FIELDS, amount_ceiling_problem
from measures.models import Measure
from needs.collaboration import clear_confirmation_if_changed
from needs.models import NeedReport
from needs.selectors import ruleset_for
from needs.services import editing
from needs.totals import refresh_totals
from portal.forms import MONEY_MESSAGES
from portal.money import MoneyError, parse_kroner
from portal.spreadsheets import read_rows, run_import

from .resources import PURPOSE_NB

Status = NeedReport.Status
Purpose = Measure.Purpose


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
    # Read as a stream: stops at MAX_ROWS (and the column and cell limits) while reading.
    headers, rows = read_rows(upload, max_rows=MAX_ROWS)
    known = {h.lower(): h for h in IMPORT_HEADERS} | HEADER_ALIASES
    headers = [known.get(str(h or "").strip().lower(), str(h or "").strip()) for h in headers]
    if NAME not in headers:
        raise ValueError(
            _("The file has no column “%(name)s”. Use the column headings of the template.")
            % {"name": NAME}
        )
    if not rows:
        raise ValueError(_("The file has no measures."))
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
        self.max_amount = ruleset_for(report).max_measure_amount

    def before_import(self, dataset, **kwargs):
        last = self.report.measures.aggregate(last=Max("position"))["last"] or 0
        self.next_position = last + 1

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.report = self.report

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        errors = {}
        for name in AMOUNT_FIELDS:
            problem = amount_ceiling_problem(getattr(instance, name, None), self.max_amount)
            if problem:
                errors[name] = problem
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not any(_filled(value) for value in row.values())

    def before_save_instance(self, instance, row, **kwargs):
        # The spreadsheet's row (heading = row 1), for the preview.
        instance.file_row = kwargs.get("row_number", 0) + 1
        instance.position = self.next_position
        self.next_position += 1
        if instance.coordinator_amount is not None:
            instance.coordinator_funds_needed = instance.coordinator_amount > 0


def measures_import(*, report, user, dataset):
    """Add the file's measures to the report, all or none, under the report's lock (refused
    once it is submitted). Returns (the import result, the cleared UH confirmation or None)."""
    with editing(report, user) as report:
        result = run_import(MeasureImportResource(report=report), dataset, dry_run=False)
        refresh_totals(report)
        return result, clear_confirmation_if_changed(subject=report, user=user)
