"""Download file names: made from fixed patterns of safe characters, sent with Django's
Content-Disposition helper. A name never carries a query parameter as it was typed."""

import re

from django.utils.http import content_disposition_header
from django.utils.text import slugify

NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
EXTENSIONS = {"pdf", "csv", "xlsx", "zip", "ics"}
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,150}\.[a-z]{2,4}")


def file_slug(text):
    """'God opplæring for alle' -> 'god-opplaering-for-alle' (ASCII letters, digits, '-')."""
    return slugify(str(text).translate(NORWEGIAN_LETTERS))[:120].strip("-")


def file_name(*parts, ext):
    """'behovsmeldinger-dekom-2024.xlsx' from its parts; empty parts are left out."""
    if ext not in EXTENSIONS:
        raise ValueError(f"unexpected file extension {ext!r}")
    stem = "-".join(slug for slug in (file_slug(p) for p in parts if p not in (None, "")) if slug)
    return f"{stem or 'fil'}.{ext}"


def attach(response, filename, *, inline=False):
    """Set the response's Content-Disposition; the name is made safe if it is not already."""
    if not _SAFE_NAME.fullmatch(filename):
        stem, _dot, ext = filename.rpartition(".")
        filename = file_name(stem, ext=ext if ext in EXTENSIONS else "pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
