"""Reading uploaded spreadsheets and running django-import-export imports all-or-nothing.

Uploads are read as a stream (openpyxl's read-only mode, row by row; CSV line by line) and
reading stops at the first row, column or cell past the limits below: a small file that
claims, or holds, millions of rows is refused after a few hundred, with a Norwegian message.
"""

import csv
import hashlib
import io
from dataclasses import dataclass

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

# A sheet wider than this is not one of our templates; a cell longer than this is not text
# anyone typed into one (the longest text field takes far less).
MAX_COLUMNS = 40
MAX_CELL_CHARS = 10_000
# Empty rows in a row end the sheet (Excel keeps formatted, empty rows below the data).
MAX_BLANK_RUN = 1_000

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell that would start a formula in Excel plain text (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SheetTooLarge(ValueError):
    """The upload passed a limit while it was read; `rows_read` says how far reading got."""

    def __init__(self, message, rows_read):
        super().__init__(message)
        self.rows_read = rows_read


def upload_digest(upload):
    """The SHA-256 of an uploaded file: the preview names it, the confirm step must match."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _xlsx_rows(content):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a broken or foreign file: zipfile, XML and openpyxl errors
        raise ValueError(_("The file could not be read as CSV or XLSX.")) from exc
    try:
        sheet = book.worksheets[0]
        # The file's own <dimension> may claim 16 384 columns by a million rows: ignore it,
        # so that each row holds only the cells that are really there.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _csv_rows(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def read_rows(upload, *, max_rows):
    """(headers, rows) of an uploaded .csv or .xlsx, read row by row.

    Stops with SheetTooLarge at more than `max_rows` rows below the headings, MAX_COLUMNS
    filled columns or a cell of more than MAX_CELL_CHARS characters; ValueError if the file
    cannot be read. Blank rows inside the data are kept (row numbers stay the file's);
    trailing ones are dropped.
    """
    upload.seek(0)
    content = upload.read()
    is_xlsx = upload.name.lower().endswith(".xlsx")
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    headers, kept, blank_run, read = None, [], 0, 0
    try:
        for row in rows:
            read += 1
            row = list(row)
            width = len(row)
            while width and not _filled(row[width - 1]):
                width -= 1
            if width > MAX_COLUMNS:
                raise SheetTooLarge(
                    _("The file has more than %(max)d columns. Use the template's columns.")
                    % {"max": MAX_COLUMNS},
                    read,
                )
            for value in row:
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise SheetTooLarge(
                        _("Row %(row)d has a cell with more than %(max)d characters.")
                        % {"row": read, "max": MAX_CELL_CHARS},
                        read,
                    )
            if headers is None:
                headers = row[:width]
                continue
            if not width:
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    break
                continue
            kept.extend([[]] * blank_run)
            blank_run = 0
            kept.append(row)
            if len(kept) > max_rows:
                raise SheetTooLarge(
                    _("The file has more than %(max)d rows. Split it into several files.")
                    % {"max": max_rows},
                    read,
                )
    except (csv.Error, UnicodeError) as exc:
        raise ValueError(_("The file could not be read as CSV or XLSX.")) from exc
    finally:
        rows.close()
    return [str(h).strip() if h is not None else "" for h in (headers or [])], kept


def _filled(value):
    return value is not None and str(value).strip() != ""


def load_dataset(upload, *, max_rows=5_000):
    """A tablib Dataset from an uploaded .csv or .xlsx file (read as `read_rows` does);
    ValueError if it is unreadable or too large."""
    headers, rows = read_rows(upload, max_rows=max_rows)
    width = len(headers)
    if width == 0:
        raise ValueError(_("The file has no column headings in its first row."))
    rows = [(row + [None] * width)[:width] for row in rows]
    return tablib.Dataset(*rows, headers=headers)


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


def previewed_upload(request, key):
    """The file previewed under `key` in the session, if the confirm form names it by its
    digest; else None, with a message (nothing previewed, or another file uploaded since)."""
    from django.contrib import messages

    data = request.session.get(key)
    if not isinstance(data, dict) or "digest" not in data:
        messages.error(request, _("There is nothing to import. Upload the file again."))
        return None
    if request.POST.get("digest") != data["digest"]:
        messages.error(
            request,
            _(
                "The file you confirmed is no longer the one previewed: another file was "
                "uploaded since. Nothing was imported. Upload the file again."
            ),
        )
        return None
    return request.session.pop(key)
