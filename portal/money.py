"""Whole Norwegian kroner: parsing what people type, and showing amounts.

Pure Python, no Django imports: used by forms, importers and template tags.
"""

import re

MAX_KRONER = 10**12

# Ordinary, no-break, narrow no-break and thin spaces people paste from Word and Excel.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"^(?:kr\.?|nok)\s*|\s*(?:kr\.?|nok|,-)$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})*$|^\d+$")
# The thousands dot Norwegians write: "50.000", "1.544.000" (but "12.5" has decimals).
_DOT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
# More digits than any amount or count we keep (int() of 4 300 digits raises).
_MAX_DIGITS = 15


class MoneyError(ValueError):
    """Raised with a code: 'invalid', 'negative', 'decimals', 'too_large'."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def parse_kroner(text):
    """Return whole kroner from '1544000', '1 544 000', 'kr 50 000', '50 000 kr'.

    Empty text gives None. Anything else raises MoneyError.
    """
    return _parse_whole(text, currency=True, maximum=MAX_KRONER)


def parse_count(text, maximum=MAX_KRONER):
    """A count typed like an amount, without 'kr': '50.000', '1 544 000', '12'. Empty gives
    None; MoneyError otherwise (the same codes as parse_kroner)."""
    return _parse_whole(text, currency=False, maximum=maximum)


def _parse_whole(text, *, currency, maximum):
    if text is None:
        return None
    if isinstance(text, bool):
        raise MoneyError("invalid")
    if isinstance(text, int):
        value = text
    else:
        cleaned = _SPACES.sub(" ", str(text)).strip()
        if not cleaned:
            return None
        if currency:
            cleaned = _CURRENCY.sub("", cleaned).strip()
        if cleaned.startswith("-") or cleaned.startswith("\u2212"):
            raise MoneyError("negative")
        if _DOT_GROUPED.match(cleaned):
            cleaned = cleaned.replace(".", "")
        if re.fullmatch(r"[\d .]+[.,]\d+", cleaned):
            raise MoneyError("decimals")
        if not cleaned.isascii() or not _GROUPED.match(cleaned):
            raise MoneyError("invalid")
        digits = cleaned.replace(" ", "").lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            raise MoneyError("too_large")
        value = int(digits)
    if value < 0:
        raise MoneyError("negative")
    if value > maximum:
        raise MoneyError("too_large")
    return value


def group_digits(value):
    """12345678 -> '12 345 678' (no-break spaces are added by the template tag)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", " ")


def format_kroner(value):
    if value is None:
        return ""
    return f"{group_digits(value)} kr"


def format_percent(numerator, denominator, decimals=1):
    """Share as a Norwegian percentage string, '59,5 %'; '–' when the total is 0."""
    if not denominator:
        return "–"
    # Round half up with integers only.
    scale = 10**decimals
    scaled = (200 * scale * numerator + denominator) // (2 * denominator)
    whole, frac = divmod(scaled, scale)
    text = str(whole) if not decimals else f"{whole},{frac:0{decimals}d}"
    return f"{text} %"
