import pytest
from django.core.exceptions import ValidationError

from partnerships.identifiers import (
    format_account_number,
    format_org_number,
    is_valid_account_number,
    is_valid_org_number,
    normalize,
)
from partnerships.validators import validate_account_number, validate_org_number


@pytest.mark.parametrize("typed", ["938 712 441", "938712441", "918108467", "938.712.441"])
def test_seed_org_numbers_pass(typed):
    assert is_valid_org_number(normalize(typed))
    validate_org_number(typed)


@pytest.mark.parametrize("typed", ["4516 27 94918", "7694.05.00660", "45162794918"])
def test_seed_account_numbers_pass(typed):
    assert is_valid_account_number(normalize(typed))
    validate_account_number(typed)


@pytest.mark.parametrize(
    "typed, code",
    [
        ("938712442", "checksum"),  # wrong check digit
        ("93871244", "length"),
        ("9387124411", "length"),
        ("93871244a", "invalid"),
        ("", "length"),
    ],
)
def test_bad_org_numbers_fail_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_org_number(typed)
    assert excinfo.value.code == code


@pytest.mark.parametrize(
    "typed, code",
    [
        ("45162794917", "checksum"),
        ("4516279491", "length"),
        ("4516 27 9491x", "invalid"),
    ],
)
def test_bad_account_numbers_fail_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_account_number(typed)
    assert excinfo.value.code == code


def test_check_digit_ten_is_never_valid():
    # 00000001 -> weighted sum 2, 11 - 2 = 9; search a prefix whose check digit would be 10.
    from partnerships.identifiers import ORG_WEIGHTS, mod11_check_digit

    prefix = next(
        f"{n:08d}"
        for n in range(10**7, 10**7 + 200)
        if mod11_check_digit(f"{n:08d}", ORG_WEIGHTS) is None
    )
    assert not any(is_valid_org_number(prefix + str(d)) for d in range(10))


def test_numbers_are_shown_grouped():
    assert format_org_number("938712441") == "938 712 441"
    assert format_account_number("45162794918") == "4516 27 94918"
    assert format_account_number("76940500660") == "7694 05 00660"
