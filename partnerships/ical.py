"""iCalendar (RFC 5545) written by hand: plain data in, text out, no Django imports.

- lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character);
- TEXT values escape backslash, semicolon, comma and newlines;
- times are written in UTC ("…Z"), all-day events as dates (DTEND is the day after).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Kompetanseportalen//Aktivitetsplan//NO"


@dataclass
class Event:
    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    stamp: datetime
    all_day: bool = False
    location: str = ""
    description: str = ""
    url: str = ""
    categories: list = field(default_factory=list)
    sequence: int = 0


def escape_text(value):
    """A TEXT value (RFC 5545 3.3.11)."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Split a content line into lines of at most 75 octets; continuations start with a space."""
    if len(line.encode()) <= MAX_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, MAX_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def format_utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def format_date(day):
    return day.strftime("%Y%m%d")


def event_lines(event):
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{format_utc(event.stamp)}",
        f"LAST-MODIFIED:{format_utc(event.stamp)}",
        f"SEQUENCE:{event.sequence}",
    ]
    if event.all_day:
        lines.append(f"DTSTART;VALUE=DATE:{format_date(event.start)}")
        lines.append(f"DTEND;VALUE=DATE:{format_date(event.end + timedelta(days=1))}")
    else:
        lines.append(f"DTSTART:{format_utc(event.start)}")
        lines.append(f"DTEND:{format_utc(event.end)}")
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, *, name):
    """A whole VCALENDAR as text (encode it as UTF-8)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Oslo",
    ]
    for event in events:
        lines.extend(event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
