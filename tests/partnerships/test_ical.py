"""The hand-written iCalendar (RFC 5545): escaping, folding, line endings, times."""

from datetime import UTC, date, datetime, timedelta, timezone

from partnerships import ical
from tests.partnerships.plan_helpers import parse_ics

STAMP = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
OSLO_SUMMER = timezone(timedelta(hours=2))


def test_escape_text_escapes_the_special_characters():
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_fold_keeps_lines_within_75_octets_and_never_splits_a_character():
    line = "DESCRIPTION:" + "Språk, lesing og skriving – ære være Øystein! " * 8
    folded = ical.fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 3
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line


def test_short_lines_are_not_folded():
    assert ical.fold("SUMMARY:Kort") == "SUMMARY:Kort"


def test_calendar_timed_and_all_day_events():
    events = [
        ical.Event(
            uid="1@test",
            summary="Nettverkssamling; språk, lesing",
            start=datetime(2024, 9, 17, 9, 0, tzinfo=OSLO_SUMMER),
            end=datetime(2024, 9, 17, 15, 0, tzinfo=OSLO_SUMMER),
            stamp=STAMP,
            location="Sandnessjøen",
            description="Tema: overganger\nForberedelse: les kapittel 3",
            categories=["Nettverkssamling"],
            sequence=2,
        ),
        ical.Event(
            uid="2@test",
            summary="Kompetansedag",
            start=date(2024, 8, 13),
            end=date(2024, 8, 13),
            stamp=STAMP,
            all_day=True,
        ),
    ]
    text = ical.calendar(events, name="Aktivitetsplan, test")
    assert "\n" not in text.replace("\r\n", "")
    timed, all_day = parse_ics(text)
    assert timed["DTSTART"] == ([], "20240917T070000Z")
    assert timed["DTEND"] == ([], "20240917T130000Z")
    assert timed["DTSTAMP"] == ([], "20240601T100000Z")
    assert timed["SUMMARY"][1] == "Nettverkssamling; språk, lesing"
    assert timed["DESCRIPTION"][1] == "Tema: overganger\nForberedelse: les kapittel 3"
    assert timed["SEQUENCE"][1] == "2"
    assert "SUMMARY:Nettverkssamling\\; språk\\, lesing" in text
    assert all_day["DTSTART"] == (["VALUE=DATE"], "20240813")
    assert all_day["DTEND"] == (["VALUE=DATE"], "20240814")  # exclusive end
    assert "X-WR-CALNAME:Aktivitetsplan\\, test\r\n" in text
