import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.money import MAX_KRONER, MoneyError, format_kroner, format_percent, parse_kroner


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1544000", 1544000),
        ("1 544 000", 1544000),
        ("1\u00a0544\u00a0000", 1544000),  # no-break spaces
        ("1\u2009544\u2009000", 1544000),  # thin spaces
        ("1\u202f544\u202f000", 1544000),  # narrow no-break spaces
        ("kr 50 000", 50000),
        ("Kr 50 000", 50000),
        ("50 000 kr", 50000),
        ("50 000,-", 50000),
        ("  70000  ", 70000),
        ("0", 0),
        ("", None),
        ("   ", None),
        (str(MAX_KRONER), MAX_KRONER),
    ],
)
def test_parse_accepts_what_people_type(text, expected):
    assert parse_kroner(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [
        ("abc", "invalid"),
        ("12a", "invalid"),
        ("-5", "negative"),
        ("\u22125 000", "negative"),
        ("50 000,50", "decimals"),
        ("1.5", "decimals"),
        ("١٢٣", "invalid"),  # Arabic-Indic digits
        ("1 54 4000", "invalid"),  # broken grouping
        (str(MAX_KRONER + 1), "too_large"),
        ("1" * 40, "too_large"),
    ],
)
def test_parse_rejects_everything_else(text, code):
    with pytest.raises(MoneyError) as excinfo:
        parse_kroner(text)
    assert excinfo.value.code == code


@given(st.integers(min_value=0, max_value=MAX_KRONER))
def test_formatted_amount_parses_back(value):
    assert parse_kroner(format_kroner(value)) == value


def test_format_kroner_groups_thousands():
    assert format_kroner(1544000) == "1 544 000 kr"
    assert format_kroner(0) == "0 kr"


def test_format_percent_rounds_half_up_with_comma():
    assert format_percent(919000, 1544000) == "59,5 %"
    assert format_percent(926400, 1544000) == "60,0 %"
    assert format_percent(1, 8) == "12,5 %"
    assert format_percent(0, 0) == "–"
