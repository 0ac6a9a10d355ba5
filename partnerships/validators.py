from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identifiers import is_valid_account_number, is_valid_org_number, normalize


def validate_org_number(value):
    number = normalize(value)
    if number and (not number.isascii() or not number.isdigit()):
        raise ValidationError(
            _("An organisation number has digits only (spaces and dots are allowed)."),
            code="invalid",
        )
    if len(number) != 9:
        raise ValidationError(_("An organisation number has 9 digits."), code="length")
    if not is_valid_org_number(number):
        raise ValidationError(
            _("This is not a valid organisation number: the check digit does not match."),
            code="checksum",
        )


def validate_account_number(value):
    number = normalize(value)
    if number and (not number.isascii() or not number.isdigit()):
        raise ValidationError(
            _("An account number has digits only (spaces and dots are allowed)."),
            code="invalid",
        )
    if len(number) != 11:
        raise ValidationError(_("An account number has 11 digits."), code="length")
    if not is_valid_account_number(number):
        raise ValidationError(
            _("This is not a valid account number: the check digit does not match."),
            code="checksum",
        )
