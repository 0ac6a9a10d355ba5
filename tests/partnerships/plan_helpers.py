"""Helpers for the activity-plan tests: make activities, the shared plan fixture and its
views, read iCalendar text strictly."""

from datetime import date, time

import pytest
from django.urls import reverse

from partnerships.models_plan import PlannedActivity, local_datetime
from tests.needs.conftest import make_measure, make_report

AUTUMN_2024 = {"year": 2024, "half": "autumn"}


def make_activity(
    partnership,
    day=date(2024, 9, 17),
    start=time(9, 0),
    end=time(15, 0),
    *,
    title="Nettverkssamling",
    kind=PlannedActivity.Kind.NETWORK_MEETING,
    measures=(),
    created_by=None,
    last_day=None,
    **extra,
):
    activity = PlannedActivity.objects.create(
        partnership=partnership,
        title=title,
        kind=kind,
        starts_at=local_datetime(day, start),
        ends_at=local_datetime(last_day or day, end),
        all_day=start is None,
        created_by=created_by,
        **extra,
    )
    activity.measures.set(measures)
    return activity


def parse_ics(text):
    """Parse an iCalendar stream as RFC 5545 demands, failing on anything malformed.

    Returns a list of VEVENTs, each a dict {NAME: (params, value)} with TEXT values unescaped.
    """
    assert text.endswith("\r\n"), "the stream must end in CRLF"
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, f"bare line break in {line!r}"
        assert len(line.encode()) <= 75, f"line longer than 75 octets: {line!r}"
    lines = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert lines, "a continuation line cannot come first"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, current, stack = [], None, []
    for line in lines:
        name_params, sep, value = line.partition(":")
        assert sep, f"no colon in {line!r}"
        name, *params = name_params.split(";")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert stack.pop() == value, f"END:{value} does not close the open component"
            if value == "VEVENT":
                for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                    assert required in current, f"VEVENT without {required}"
                events.append(current)
                current = None
            continue
        if current is not None:
            current[name] = (params, unescape(value))
    assert not stack, "unclosed components"
    return events


def unescape(value):
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


@pytest.fixture
def plan(cast):
    """Partnership A's Dekom 2024 report (a draft) with two measures, and activities in A and B."""
    report = make_report(cast.partnership_a, measures=[(40_000, 60_000)])
    network = report.measures.get()
    competence_day = make_measure(report, 75_000, 114_000, position=2, name="Kompetansedag")
    report_b = make_report(cast.partnership_b, measures=[(10_000, 20_000)])
    day = make_activity(
        cast.partnership_a,
        date(2024, 8, 13),
        None,
        None,
        title="Kompetansedag for alle",
        kind=PlannedActivity.Kind.COMPETENCE_DAY,
        measures=[competence_day],
        created_by=cast.alice,
        preparation="Les kapittel 3",
    )
    meeting = make_activity(
        cast.partnership_a,
        date(2024, 9, 17),
        title="Nettverkssamling 1",
        measures=[network],
        created_by=cast.ulla,
        place="Sandnessjøen",
    )
    other = make_activity(cast.partnership_b, date(2024, 9, 18), title="Stord-samling")
    return type(
        "Plan",
        (),
        {
            "report": report,
            "network": network,
            "competence_day": competence_day,
            "report_b": report_b,
            "day": day,
            "meeting": meeting,
            "other": other,
        },
    )


def half_year(client, **params):
    return client.get(reverse("plan:half_year"), {**AUTUMN_2024, **params})


def titles(response):
    return [a.title for _, activities in response.context["months"] for a in activities]
