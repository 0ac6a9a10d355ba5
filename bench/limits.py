"""The longest texts a user can save and the largest file the import accepts, timed.

`make bench` adds three rows (bench/management/commands/bench.py): the seed report's PDF with
its longest text field filled to its limit with one unbroken word (the longest text a user
can save, and the worst case for line breaking; target ≤ 2 s); the same PDF with every text
field of every measure so filled (about 200 000 letters, some 60 pages: no target, it shows
that no text a user can save makes a PDF hang); and the measure import's preview of the
largest file the form accepts (500 rows, every text cell at its limit). `manage.py bench_limits`
runs them alone on any database with a need report that has a measure (nothing is kept).
"""

import io
import statistics
import time

from django.db import transaction
from django.utils import translation

from bench.figures import Result, percentile
from measures.models import Measure
from portal.spreadsheets import run_import
from reporting import pdf
from reporting.measure_import import (
    IMPORT_HEADERS,
    MAX_ROWS,
    MeasureImportResource,
    read_measure_file,
)

LONGEST_TEXT_PDF = "PDF with the longest text a user can save (one unbroken word)"
EVERY_TEXT_PDF = "PDF with every text of every measure at its limit (one word each)"
LARGEST_IMPORT = "Measure import preview, largest file accepted"
TEXT_PDF_TARGET_MS = 2000
UPLOAD_LIMIT = 2 * 1024 * 1024  # partnerships.forms.ImportForm


def _text_limits():
    """{field name: max_length} of a measure's free-text fields."""
    return {
        f.name: f.max_length
        for f in Measure._meta.get_fields()
        if f.get_internal_type() == "TextField" and f.max_length
    }


def _timed(call, repeat):
    call()  # warm-up (fonts, templates)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def longest_text_pdf(report, repeat=3, *, every_text=False):
    """The report's PDF with its longest text field at its limit (or, with every_text, every
    measure's texts at their limits); nothing is kept."""
    limits = _text_limits()
    with transaction.atomic():
        measures = Measure.objects.filter(report=report)
        if every_text:
            measures.update(**{name: "W" * limit for name, limit in limits.items()})
        else:
            name, limit = max(limits.items(), key=lambda item: item[1])
            measures.filter(pk=measures.order_by("position").values("pk")[:1]).update(
                **{name: "W" * limit}
            )

        def render():
            data = pdf.report_data(report)
            pdf.render_need_report(
                data, language=report.partnership.language, draft=report.is_editable
            )

        with translation.override(report.partnership.language):
            times = _timed(render, repeat)
        transaction.set_rollback(True)
    return Result(
        page=EVERY_TEXT_PDF if every_text else LONGEST_TEXT_PDF,
        median_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
        target_ms=None if every_text else TEXT_PDF_TARGET_MS,
    )


def largest_import_file(report):
    """An XLSX of MAX_ROWS measures, every text cell at its field's limit (≤ the upload
    limit: repeated letters compress well, as real text does less)."""
    from openpyxl import Workbook

    limits = _text_limits()
    by_header = {
        header: limits.get(field.attribute)
        for field in MeasureImportResource(report=report).get_import_fields()
        for header in [field.column_name]
    }
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tiltak")
    sheet.append(IMPORT_HEADERS)
    for number in range(MAX_ROWS):
        row = []
        for header in IMPORT_HEADERS:
            limit = by_header.get(header)
            if header == IMPORT_HEADERS[0]:
                row.append(f"Tiltak {number + 1}")
            elif limit:
                row.append(chr(ord("a") + number % 26) * limit)
            elif "(kr)" in header:
                row.append(1000)
            else:
                row.append("")
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    content = stream.getvalue()
    assert len(content) <= UPLOAD_LIMIT, f"{len(content)} bytes: over the upload limit"
    return content


def largest_import(report, repeat=3):
    """Reading and previewing (a dry run) the largest accepted file; nothing is kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = largest_import_file(report)

    def preview():
        upload = SimpleUploadedFile("tiltak.xlsx", content)
        dataset = read_measure_file(upload)
        run_import(MeasureImportResource(report=report), dataset, dry_run=True)

    times = _timed(preview, repeat)
    return Result(
        page=LARGEST_IMPORT,
        url=f"{len(content) // 1024} KB, {MAX_ROWS} rows",
        median_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
    )
