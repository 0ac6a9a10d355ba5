"""Norwegian organisation and account numbers (MOD11). Pure Python."""

import re

ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def mod11_check_digit(digits, weights):
    """The MOD11 check digit for `digits`, or None when the number cannot be valid."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalize(text):
    """Drop the spaces and dots people type: '938 712 441' -> '938712441'."""
    return re.sub(r"[\s.\u00a0\u202f\u2009]", "", str(text or ""))


def _is_valid(number, weights):
    length = len(weights) + 1
    if len(number) != length or not number.isascii() or not number.isdigit():
        return False
    return mod11_check_digit(number[:-1], weights) == int(number[-1])


def is_valid_org_number(number):
    return _is_valid(number, ORG_WEIGHTS)


def is_valid_account_number(number):
    return _is_valid(number, ACCOUNT_WEIGHTS)


def format_org_number(number):
    """'938712441' -> '938 712 441'."""
    if len(number or "") != 9:
        return number or ""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def format_account_number(number):
    """'45162794918' -> '4516 27 94918'."""
    if len(number or "") != 11:
        return number or ""
    return f"{number[:4]} {number[4:6]} {number[6:]}"


def with_check_digit(prefix, weights=ORG_WEIGHTS):
    """Complete a prefix with its check digit, or None if no digit makes it valid."""
    check = mod11_check_digit(prefix, weights)
    return None if check is None else f"{prefix}{check}"
