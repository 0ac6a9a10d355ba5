"""PDF documents rendered by WeasyPrint: the need report and the allocation letter.

Both templates are rendered from plain data. The need report uses a dict in the shape of
`needs.services.build_snapshot`, so a submitted version (its immutable snapshot) and the
current state of a report go through the same template.

WeasyPrint loads nothing but our own files: `StaticFilesFetcher` serves files under
`static/reporting/` (the print CSS and the fonts) and refuses every other URL: no network,
no other `file://`. Everything users typed reaches the PDF as escaped text, never as markup.
"""

import hashlib
import logging
import mimetypes
import re
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from measures.models import NARRATIVE_FIELDS, Measure
from needs.models import OtherParty
from needs.selectors import report_summary
from needs.services import build_snapshot
from partnerships.models import Scheme
from portal import downloads

from .models import StoredPdf

logger = logging.getLogger(__name__)

# A virtual root, never a path on disk: the fetcher maps what follows it to a static file.
STATIC_BASE_URL = "file:///kompetanseportalen-static/"
ALLOWED_PREFIX = "reporting/"


MEASURE_LABELS = [*NARRATIVE_FIELDS, "coordinator_funds_needed", "coordinator_amount"]


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


def _static_roots():
    roots = [settings.STATIC_ROOT] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        roots.append(entry[1] if isinstance(entry, list | tuple) else entry)
    return [Path(root).resolve() for root in roots]


def static_path(url):
    """The file on disk that `url` names, if it is one of our PDF assets; else None."""
    parts = urlsplit(url)
    base = urlsplit(STATIC_BASE_URL)
    if parts.scheme != "file" or parts.netloc or not parts.path.startswith(base.path):
        return None
    relative = unquote(parts.path[len(base.path) :])
    segments = PurePosixPath(relative).parts
    if (
        not relative.startswith(ALLOWED_PREFIX)
        or "\\" in relative
        or "\x00" in relative
        or any(segment in ("..", ".") for segment in segments)
    ):
        return None
    found = finders.find(relative)
    candidate = Path(found) if found else Path(settings.STATIC_ROOT or "") / relative
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file() or not any(resolved.is_relative_to(r) for r in _static_roots()):
        return None
    return resolved


class StaticFilesFetcher(URLFetcher):
    """Serves `static/reporting/…` to WeasyPrint; raises RefusedURL for anything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)

    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            raise RefusedURL(f"Only the portal's own static files may be used in PDFs: {url!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


# Text longer than this without a space gets a break opportunity (a zero-width space) every
# BREAK_EVERY characters. pdf.css says `overflow-wrap: anywhere`, but WeasyPrint's search for a
# break in one 5 000-letter word still takes seconds; with the opportunities it is linear.
LONG_RUN = re.compile(r"[^\s<>]{60,}")
BREAK_EVERY = 20
_TEXT = re.compile(r"(<(?:style|script)\b.*?</(?:style|script)>|<[^>]*>)|([^<]+)", re.S | re.I)
_CHAR = re.compile(r"&#?\w+;|.", re.S)


def _breakable_run(match):
    chars = _CHAR.findall(match.group(0))
    return "\u200b".join(
        "".join(chars[i : i + BREAK_EVERY]) for i in range(0, len(chars), BREAK_EVERY)
    )


def breakable(html):
    """The HTML with a break opportunity in every long word of its text (not in tags,
    attributes, styles or scripts)."""

    def text_part(match):
        if match.group(1) is not None:
            return match.group(1)
        return LONG_RUN.sub(_breakable_run, match.group(2))

    return _TEXT.sub(text_part, html)


def html_to_pdf(html):
    html = breakable(html)
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_tags=True)


def render_pdf(template, context, *, language):
    """Render a template in the partnership's written language (bokmål or nynorsk) to PDF."""
    with translation.override(language):
        html = render_to_string(template, context)
    return html_to_pdf(html)


# The need report ------------------------------------------------------------------------


def report_data(report, summary=None):
    """The current state of a report, in the snapshot's shape (plus the organisation names)."""
    data = build_snapshot(report, summary or report_summary(report))
    data.setdefault("owners", [o.name for o in report.partnership.owners.all()])
    data.setdefault("uh_partners", [o.name for o in report.partnership.uh_partners.all()])
    return data


def _measure_context(measure, number, year):
    half_years = [
        (_("Spring %(year)s") % {"year": year}, measure.get("spring_this_year")),
        (_("Autumn %(year)s") % {"year": year}, measure.get("autumn_this_year")),
        (_("Spring %(year)s") % {"year": year + 1}, measure.get("spring_next_year")),
    ]
    labels = [_("Autumn %(year)s") % {"year": year + 1}, str(year + 2), str(year + 3)]
    continuation = [
        {
            "label": label,
            "owner": measure.get(f"cont{i}_owner"),
            "owner_reason": measure.get(f"cont{i}_owner_reason", ""),
            "uh": measure.get(f"cont{i}_uh"),
            "uh_reason": measure.get(f"cont{i}_uh_reason", ""),
        }
        for i, label in enumerate(labels, start=1)
    ]
    purposes = dict(Measure.Purpose.choices)
    return {
        **measure,
        "number": number,
        "total": (measure.get("owner_amount") or 0) + (measure.get("uh_amount") or 0),
        "purpose_label": purposes.get(measure.get("purpose"), ""),
        "half_years": half_years,
        "last_half_year": half_years[-1][0],
        "continuation": continuation,
    }


def need_report_context(data, *, draft, version=None):
    """Everything the need-report template shows, from snapshot-shaped `data`."""
    year = data["year"]
    kinds = dict(OtherParty.Kind.choices)
    other_parties = [
        {**p, "kind_label": kinds.get(p["kind"], p["kind"])} for p in data.get("other_parties", [])
    ]
    owners = data.get("owners", [])
    uh_partners = data.get("uh_partners", [])
    schemes = Scheme.objects.values_list("code", "name")
    return {
        "data": data,
        "report": data["report"],
        "labels": {
            name: capfirst(Measure._meta.get_field(name).verbose_name) for name in MEASURE_LABELS
        },
        "draft": draft,
        "version": version,
        "year": year,
        "schemes": [(name, code == data["scheme"]) for code, name in schemes],
        "owners": owners,
        "uh_partners": uh_partners,
        "several_owners": len(owners) > 1 or any(p["kind"] == "owner" for p in other_parties),
        "several_uh": len(uh_partners) > 1 or any(p["kind"] == "uh" for p in other_parties),
        "several_schemes": sum(1 for row in data["scheme_rows"] if row[3]) > 1,
        "other_parties": other_parties,
        "measures": [
            _measure_context(m, number, year) for number, m in enumerate(data["measures"], start=1)
        ],
    }


def render_need_report(data, *, language, draft, version=None):
    context = need_report_context(data, draft=draft, version=version)
    return render_pdf("reporting/pdf/need_report.html", context, language=language)


def file_slug(name):
    """'God opplæring for alle' -> 'god-opplaering-for-alle' (ASCII, for file names)."""
    return downloads.file_slug(name)


def report_filename(report, suffix=""):
    name = f"behovsmelding-{file_slug(report.partnership.name)}-{report.scheme.code}-{report.year}"
    return f"{name}-{suffix}.pdf" if suffix else f"{name}.pdf"


def current_report_pdf(report):
    """(bytes, filename) of the report as it is now; editable states carry UTKAST."""
    draft = report.is_editable
    pdf = render_need_report(report_data(report), language=report.partnership.language, draft=draft)
    return pdf, report_filename(report, "utkast" if draft else "")


def version_filename(version):
    return report_filename(version.report, f"v{version.number}")


def render_version(version):
    data = dict(version.snapshot)
    if "owners" not in data:
        # Snapshots from build_snapshot do not (yet) hold the organisation names: take
        # them from the partnership when the PDF is first rendered (then it is stored).
        partnership = version.report.partnership
        data["owners"] = [o.name for o in partnership.owners.all()]
        data["uh_partners"] = [o.name for o in partnership.uh_partners.all()]
    return render_need_report(
        data, language=version.report.partnership.language, draft=False, version=version
    )


def stored_version_pdf(version):
    """The version's stored PDF, rendering and storing it the first time it is asked for."""
    stored = StoredPdf.objects.filter(version=version).first()
    if stored is not None:
        if stored.file.storage.exists(stored.file.name):
            return stored
        # The file was lost (e.g. MEDIA_ROOT not restored): render it again, once.
        logger.warning("Stored PDF %s is missing; rendering %s again", stored.file.name, version)
        stored.delete()
    content = render_version(version)
    digest = hashlib.sha256(content).hexdigest()
    stored = StoredPdf(version=version, sha256=digest, size=len(content))
    stored.file.save(f"{version.pk}-{digest[:16]}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # Someone else stored it first (two downloads at once): keep theirs.
        stored.file.delete(save=False)
        stored = StoredPdf.objects.get(version=version)
    return stored


# The allocation letter ------------------------------------------------------------------


def _payee_name(organisations, org_number):
    """The organisation the report's org.nr belongs to (payments go there), else all of them."""
    organisations = list(organisations)
    for organisation in organisations:
        if org_number and organisation.org_number == org_number:
            return organisation.name
    return ", ".join(o.name for o in organisations)


def letter_context(report, measures, letter_settings):
    rows = []
    for number, measure in enumerate(measures, start=1):
        allocation = getattr(measure, "allocation", None)
        owner = allocation.owner_amount if allocation else 0
        uh = allocation.uh_amount if allocation else 0
        rows.append(
            {
                "number": number,
                "name": measure.name,
                "requested": measure.total,
                "owner": owner,
                "uh": uh,
                "total": owner + uh,
            }
        )
    owner_total = sum(r["owner"] for r in rows)
    uh_total = sum(r["uh"] for r in rows)
    partnership = report.partnership
    payees = [
        {
            "side": _("Owner"),
            "name": _payee_name(partnership.owners.all(), report.owner_org_number),
            "org_number": report.owner_org_number,
            "account_number": report.owner_account_number,
            "reference": report.owner_payment_reference,
            "amount": owner_total,
        },
        {
            "side": _("UH"),
            "name": _payee_name(partnership.uh_partners.all(), report.uh_org_number),
            "org_number": report.uh_org_number,
            "account_number": report.uh_account_number,
            "reference": report.uh_payment_reference,
            "amount": uh_total,
        },
    ]
    return {
        "report": report,
        "partnership": partnership,
        "county_office": partnership.region.county_office,
        "rows": rows,
        "owner_total": owner_total,
        "uh_total": uh_total,
        "total": owner_total + uh_total,
        "payees": [p for p in payees if p["amount"] or p["name"]],
        "settings": letter_settings,
        "draft": report.status != report.Status.ALLOCATED,
    }


def render_allocation_letter(report, letter_settings):
    prefetch_related_objects([report.partnership], "owners", "uh_partners")
    measures = list(report.measures.select_related("allocation"))
    context = letter_context(report, measures, letter_settings)
    return render_pdf(
        "reporting/pdf/allocation_letter.html", context, language=report.partnership.language
    )


def letter_filename(report):
    slug = file_slug(report.partnership.name)
    return f"tildelingsbrev-{slug}-{report.scheme.code}-{report.year}.pdf"


# The annual report ----------------------------------------------------------------------


def annual_report_context(data, *, report, draft, version=None):
    """Everything the annual-report template shows, from snapshot-shaped `data`
    (reporting.annual.build_snapshot): used and unused figures, findings, evaluation."""
    from .annual_models import AnnualReport
    from .annual_selectors import snapshot_figures

    handling = dict(AnnualReport.UnusedHandling.choices)
    moments = {
        name: datetime.fromisoformat(data[name]) if data.get(name) else None
        for name in ("approved_at", "uh_confirmed_at")
    }
    return {
        "data": data,
        **moments,
        **snapshot_figures(data),
        "annual": report,
        "unused_handling_label": handling.get(data.get("unused_handling"), ""),
        "draft": draft,
        "version": version,
        "year": data["year"],
    }


def render_annual_report(data, *, report, language, draft, version=None):
    context = annual_report_context(data, report=report, draft=draft, version=version)
    return render_pdf("reporting/pdf/annual_report.html", context, language=language)


def annual_filename(report, suffix=""):
    name = f"rapport-{file_slug(report.partnership.name)}-{report.scheme.code}-{report.year}"
    return f"{name}-{suffix}.pdf" if suffix else f"{name}.pdf"


# The forum's recommendation -------------------------------------------------------------


def recommendation_context(recommendation, reports):
    """What Udir's mandate asks the recommendation to list: per report in priority order its
    measures, who takes part (owners, UH), the owner–UH pairs and the intended split; and who
    stepped aside and why."""
    prefetch_related_objects(reports, "partnership__owners", "partnership__uh_partners")
    measures = {}
    for measure in Measure.objects.filter(report__in=reports).order_by("position", "pk"):
        measures.setdefault(measure.report_id, []).append(measure)
    rows = []
    for report in reports:
        owners = list(report.partnership.owners.all())
        universities = list(report.partnership.uh_partners.all())
        rows.append(
            {
                "report": report,
                "measures": measures.get(report.pk, []),
                "owners": owners,
                "universities": universities,
                "pairs": [(o, u) for o in owners for u in universities],
                "owner": report.requested_owner,
                "uh": report.requested_uh,
                "total": report.requested_total,
            }
        )
    return {
        "recommendation": recommendation,
        "county_office": recommendation.county_office,
        "scheme": recommendation.scheme,
        "year": recommendation.year,
        "rows": rows,
        "recusals": list(
            recommendation.recusals.select_related("user", "report__partnership").order_by(
                "report__partnership__name", "pk"
            )
        ),
    }


def render_recommendation(recommendation, reports):
    return render_pdf(
        "reporting/pdf/recommendation.html",
        recommendation_context(recommendation, reports),
        language=settings.LANGUAGE_CODE,
    )


def recommendation_filename(recommendation):
    slug = file_slug(recommendation.county_office.county)
    return f"innstilling-{slug}-{recommendation.scheme.code}-{recommendation.year}.pdf"
