"""The rows of the long report tables (the review queue and the need report list), built in
Python.

A page holds 50 reports of nine cells each; the template engine spent about a quarter of a
millisecond a row on them, more than the rest of the page. The markup is exactly what the
template loops gave (templates/needs/review/queue.html, templates/needs/needreport_list.html).
Every text is escaped with conditional_escape; the amounts come from the kr filter.
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.templatetags.portal_tags import kr

register = template.Library()

QUEUE_ROW = (
    "\n  <tr>\n"
    '    <td><a href="{url}">{name}</a>{priority}</td>\n'
    "    <td>{region}</td>\n"
    "    <td>{scheme}</td>\n"
    "    <td>{status}</td>\n"
    '    <td class="num">{owner}</td><td class="num">{uh}</td><td class="num">{total}</td>\n'
    '    <td class="num">{share}</td>\n'
    "    <td>{findings}</td>\n"
    "  </tr>\n  "
)

LIST_ROW = (
    "\n  <tr>\n"
    "    <td>{year}</td>\n"
    "    <td>{scheme}</td>\n"
    '    <td><a href="{url}">{name}</a></td>\n'
    "    <td>{status}</td>\n"
    '    <td class="num">{owner}</td>\n'
    '    <td class="num">{uh}</td>\n'
    '    <td class="num">{total}</td>\n'
    '    <td class="num">{share}</td>\n'
    "  </tr>\n  "
)


def _findings_cell(findings, exception_label, ok_label):
    if not findings:
        return f'<span class="text-success">✓ {ok_label}</span>'
    parts = []
    for _title, text, excepted in findings:
        if excepted:
            parts.append(
                f'<div class="small text-body-secondary">{exception_label} {esc(text)}</div>'
            )
        else:
            parts.append(f'<div class="small text-danger-emphasis">{esc(text)}</div>')
    return "".join(parts)


@register.simple_tag
def queue_rows(reports):
    """The review queue's rows: reports with url, status_label, owner_sum, uh_sum, total_sum,
    uh_share and findings_shown [(title, text, excepted)] set by the view."""
    exception_label = esc(gettext("Exception:"))
    ok_label = esc(gettext("OK"))
    rows = []
    for report in reports:
        priority = report.priority
        rows.append(
            QUEUE_ROW.format(
                url=esc(report.url),
                name=esc(report.partnership.name),
                priority=(
                    f' <span class="badge text-bg-light">#{esc(priority)}</span>'
                    if priority
                    else ""
                ),
                region=esc(report.partnership.region.name),
                scheme=esc(report.scheme.short_name),
                status=esc(report.status_label),
                owner=kr(report.owner_sum),
                uh=kr(report.uh_sum),
                total=kr(report.total_sum),
                share=esc(report.uh_share),
                findings=_findings_cell(report.findings_shown, exception_label, ok_label),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.simple_tag
def report_list_rows(reports):
    """The need report list's rows: reports with url, status_label, owner_sum, uh_sum, total
    and uh_share set by the view."""
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            LIST_ROW.format(
                year=esc(report.year),
                scheme=esc(report.scheme.short_name),
                url=esc(report.url),
                name=esc(report.partnership.name),
                status=esc(report.status_label),
                owner=kr(report.owner_sum),
                uh=kr(report.uh_sum),
                total=kr(report.total),
                share=esc(report.uh_share),
            )
            for report in reports
        )
    )


@register.simple_tag
def options(choices, selected):
    """The <option>s of a filter's <select>, from (value, label) pairs; the one whose value
    equals `selected` is selected."""
    return mark_safe(  # noqa: S308 - values and labels escaped
        "".join(
            f'<option value="{esc(value)}"{" selected" if value == selected else ""}>'
            f"{esc(label)}</option>"
            for value, label in choices
        )
    )


@register.simple_tag
def allocation_links(offices, schemes, year):
    """The queue's links to the allocation page of each office and scheme for the year."""
    several = len(offices) > 1
    links = []
    for office in offices:
        county = f" ({esc(office.county)})" if several else ""
        for scheme in schemes:
            url = reverse("needs:allocation", args=[office.pk, scheme.code, year])
            links.append(
                '<a class="btn btn-sm btn-outline-secondary me-1" '
                f'href="{esc(url)}">{esc(scheme.short_name)}{county}</a>'
            )
    return mark_safe("".join(links))  # noqa: S308 - escaped above
