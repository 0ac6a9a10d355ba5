"""The rows of the long report tables (the review queue and the need report list), built in
Python.

A page holds 50 reports of nine cells each; the template engine spent about a quarter of a
millisecond a row on them, more than the rest of the page. The markup is exactly what the
template loops gave (templates/needs/review/queue.html, templates/needs/needreport_list.html,
templates/needs/review/allocation.html); tests compare the two. Every text is escaped
(html.escape, as Django's escape filter); amounts by the kr and kroner filters; the rows are
joined from f-strings (str.format and format_html cost more than the markup itself).
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.renderers import conditional_escape as esc
from portal.templatetags.portal_tags import NBSP, kr, kroner

register = template.Library()


def _findings_cell(findings, exception_label, ok_label):
    if not findings:
        return f'<span class="text-success">✓ {ok_label}</span>'
    parts = []
    for _title, text, excepted in findings:
        if excepted:
            parts.append(
                f'<div class="small text-body-secondary">{exception_label} {escape(text)}</div>'
            )
        else:
            parts.append(f'<div class="small text-danger-emphasis">{escape(text)}</div>')
    return "".join(parts)


@register.simple_tag
def queue_rows(reports):
    """The review queue's rows: reports with url, status_label, owner_sum, uh_sum, total_sum,
    uh_share and findings_shown [(title, text, excepted)] set by the view."""
    exception_label = escape(gettext("Exception:"))
    ok_label = escape(gettext("OK"))
    rows = []
    for report in reports:
        partnership = report.partnership
        priority = (
            f' <span class="badge text-bg-light">#{int(report.priority)}</span>'
            if report.priority
            else ""
        )
        rows.append(
            "\n  <tr>\n"
            f'    <td><a href="{escape(report.url)}">{escape(partnership.name)}</a>'
            f"{priority}</td>\n"
            f"    <td>{escape(partnership.region.name)}</td>\n"
            f"    <td>{escape(report.scheme.short_name)}</td>\n"
            f"    <td>{escape(report.status_label)}</td>\n"
            f'    <td class="num">{kr(report.owner_sum)}</td><td class="num">{kr(report.uh_sum)}'
            f'</td><td class="num">{kr(report.total_sum)}</td>\n'
            f'    <td class="num">{escape(report.uh_share)}</td>\n'
            f"    <td>{_findings_cell(report.findings_shown, exception_label, ok_label)}</td>\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.simple_tag
def report_list_rows(reports):
    """The need report list's rows: reports with url, status_label, owner_sum, uh_sum, total
    and uh_share set by the view."""
    rows = []
    for report in reports:
        rows.append(
            "\n  <tr>\n"
            f"    <td>{int(report.year)}</td>\n"
            f"    <td>{escape(report.scheme.short_name)}</td>\n"
            f'    <td><a href="{escape(report.url)}">{escape(report.partnership.name)}</a></td>\n'
            f"    <td>{escape(report.status_label)}</td>\n"
            f'    <td class="num">{kr(report.owner_sum)}</td>\n'
            f'    <td class="num">{kr(report.uh_sum)}</td>\n'
            f'    <td class="num">{kr(report.total)}</td>\n'
            f'    <td class="num">{escape(report.uh_share)}</td>\n'
            "  </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped


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


ALLOCATION_SECTION = """
<section class="border rounded p-3 mb-3" aria-labelledby="alloc-{pk}">
  <div class="d-flex flex-wrap justify-content-between gap-2">
    <h3 class="h6" id="alloc-{pk}"><a href="{url}">{name}</a> – {status}</h3>
    <div class="d-flex gap-2 align-items-end">
      <div><label class="form-label small mb-0" for="priority-{pk}">{l_priority}</label>
        <input class="form-control form-control-sm w-6rem{priority_invalid}" id="priority-{pk}" name="priority_{pk}" inputmode="numeric" value="{priority}"{priority_error}</div>
      <div><label class="form-label small mb-0" for="note-{pk}">{l_note}</label>
        <input class="form-control form-control-sm" id="note-{pk}" name="note_{pk}" value="{note}"></div>
    </div>
  </div>
  <table class="table table-sm align-middle mb-1">
    <thead><tr><th scope="col">{l_measure}</th><th scope="col" class="num">{l_req_owner}</th><th scope="col" class="num">{l_req_uh}</th><th scope="col">{l_owner}</th><th scope="col">{l_uh}</th></tr></thead>
    <tbody>
    {rows}
    </tbody>
    <tfoot><tr class="table-totals"><th scope="row">{l_sum}</th><td class="num" colspan="2">{requested}</td><td class="num" data-sum="owner-{pk}">{allocated_owner}</td><td class="num" data-sum="uh-{pk}">{allocated_uh}</td></tr></tfoot>
  </table>
  {findings}
</section>
"""  # noqa: E501


def _invalid(name, errors):
    """For an input with an error: the class to add, and what follows value="...": the ARIA
    attributes, the end of the tag and the message with its id. Without one: "" and ">"."""
    error = errors.get(name) if errors else None
    if not error:
        return "", ">"
    return (
        " is-invalid",
        f' aria-invalid="true" aria-describedby="err-{name}">'
        f'<div class="invalid-feedback d-block" id="err-{name}">{esc(error)}</div>',
    )


def _typed(posted, name, saved):
    """What was typed into the input `name` of a refused post, escaped; else `saved`."""
    if posted is None or name not in posted:
        return saved
    return escape(posted.get(name, ""))


def _measure_rows(report, labels, posted=None, errors=None):
    """The rows of a report's allocation table: each measure with two labelled inputs,
    prefilled with what is allocated, or what was requested when nothing is; after a refused
    save, with what was typed and the error beside the input. An f-string a row: some 160
    rows a page, through str.format or the template engine they cost more than the rest of
    the section."""
    owner_label, uh_label, report_pk = labels["l_owner"], labels["l_uh"], int(report.pk)
    rows = []
    for m in report.measure_list:
        pk, name = int(m.pk), escape(m.name)
        allocated = m.allocated_owner is not None
        owner = kroner(m.allocated_owner if allocated else m.owner_amount)
        uh = kroner(m.allocated_uh if allocated else m.uh_amount)
        owner_invalid = uh_invalid = ""
        owner_end = uh_end = ">"
        if posted is not None:
            owner = _typed(posted, f"owner_{pk}", owner)
            uh = _typed(posted, f"uh_{pk}", uh)
            owner_invalid, owner_end = _invalid(f"owner_{pk}", errors)
            uh_invalid, uh_end = _invalid(f"uh_{pk}", errors)
        rows.append(
            f'<tr><th scope="row" class="fw-normal">{name}</th>'
            f'<td class="num">{kroner(m.owner_amount)}{NBSP}kr</td>'
            f'<td class="num">{kroner(m.uh_amount)}{NBSP}kr</td>'
            f'<td><label class="visually-hidden" for="owner-{pk}">{owner_label}: {name}</label>'
            f'<input class="form-control form-control-sm{owner_invalid}" data-alloc="{report_pk}" '
            f'id="owner-{pk}" name="owner_{pk}" inputmode="numeric" value="{owner}"{owner_end}</td>'
            f'<td><label class="visually-hidden" for="uh-{pk}">{uh_label}: {name}</label>'
            f'<input class="form-control form-control-sm{uh_invalid}" data-alloc="{report_pk}" '
            f'id="uh-{pk}" name="uh_{pk}" inputmode="numeric" value="{uh}"{uh_end}</td></tr>'
        )
    return "\n".join(rows)


def _allocation_findings(findings, labels):
    return "".join(
        f'<div class="small {"text-body-secondary" if excepted else "text-danger-emphasis"}">'
        f"{labels['l_allocation']}: {esc(text)}"
        f"{' (' + labels['l_granted'] + ')' if excepted else ''}</div>"
        for text, excepted in findings
    )


@register.simple_tag
def allocation_sections(reports, posted=None, errors=None):
    """The allocation page's section of each report: priority, note, and the table of its
    measures with the allocation inputs. Some 20 reports of 8 measures a page: through the
    template engine this was most of the page's time. The view sets url, status_label,
    measure_list (rows with allocated_owner/allocated_uh, None when nothing is allocated),
    requested, allocated_owner, allocated_uh and allocation_findings [(text, excepted)].

    After a refused save, `posted` (the POST) and `errors` ({input name: message}): the
    inputs show what was typed, and an input with an error its message, linked by
    aria-describedby. Without them (a GET) the markup is that of the template loop."""
    labels = {  # gettext with the text itself, so that makemessages finds the msgids
        key: esc(text)
        for key, text in [
            ("l_priority", gettext("Priority")),
            ("l_note", gettext("Note from the samarbeidsforum")),
            ("l_measure", gettext("Measure")),
            ("l_req_owner", gettext("Requested owner")),
            ("l_req_uh", gettext("Requested UH")),
            ("l_owner", gettext("Allocated owner")),
            ("l_uh", gettext("Allocated UH")),
            ("l_sum", gettext("Sum")),
            ("l_allocation", gettext("Allocation")),
            ("l_granted", gettext("exception granted")),
        ]
    }
    sections = []
    for report in reports:
        pk = int(report.pk)
        priority = "" if report.priority is None else esc(report.priority)
        note, priority_invalid, priority_error = esc(report.priority_note), "", ">"
        if posted is not None:
            priority = _typed(posted, f"priority_{pk}", priority)
            note = _typed(posted, f"note_{pk}", note)
            priority_invalid, priority_error = _invalid(f"priority_{pk}", errors)
        sections.append(
            ALLOCATION_SECTION.format(
                pk=pk,
                url=esc(report.url),
                name=esc(report.partnership.name),
                status=esc(report.status_label),
                priority=priority,
                priority_invalid=priority_invalid,
                priority_error=priority_error,
                note=note,
                rows=_measure_rows(report, labels, posted, errors),
                requested=kr(report.requested),
                allocated_owner=kr(report.allocated_owner),
                allocated_uh=kr(report.allocated_uh),
                findings=_allocation_findings(report.allocation_findings, labels),
                **labels,
            )
        )
    return mark_safe("".join(sections))  # noqa: S308 - every value escaped above


@register.simple_tag
def year_options(years, selected):
    """The need report list's year <option>s; `selected` is the year asked for, as text."""
    return mark_safe(  # noqa: S308 - integers only
        "".join(
            f'<option value="{int(y)}"{" selected" if selected == str(y) else ""}>{int(y)}</option>'
            for y in years
        )
    )
