"""Reading uploaded spreadsheets and running django-import-export imports all-or-nothing."""

from dataclasses import dataclass

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell that would start a formula in Excel plain text (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def load_dataset(upload):
    """A tablib Dataset from an uploaded .csv or .xlsx file; ValueError if unreadable."""
    content = upload.read()
    try:
        if upload.name.lower().endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as exc:  # tablib raises many kinds for broken files
        raise ValueError(_("The file could not be read as CSV or XLSX.")) from exc


@dataclass
class RowError:
    row: int
    field: str
    message: str


def collect_errors(result, resource):
    """Row-level errors of an import result, as (row, field label, message) in Norwegian."""
    labels = {field.attribute: field.column_name for field in resource.get_fields()}
    errors = []
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            for message in messages:
                errors.append(RowError(invalid.number, labels.get(field, ""), str(message)))
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(RowError(number, "", str(error.error)))
    return sorted(errors, key=lambda e: e.row)


class ImportFailed(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def run_import(resource, dataset, *, dry_run):
    """Import every row or none. Returns the result; raises ImportFailed with row errors."""
    with transaction.atomic():
        # Rows are really saved, then rolled back on a dry run, so the preview also
        # catches conflicts between rows of the same file.
        result = resource.import_data(
            dataset, dry_run=False, raise_errors=False, use_transactions=False
        )
        errors = collect_errors(result, resource)
        if errors:
            transaction.set_rollback(True)
            raise ImportFailed(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result
