"""A measure's amounts: which fields hold money, in which order, and how each is labelled.

Plain Python without models, so that the measure model, its form, the UH confirmation (needs)
and the annual report all read the same list without importing each other. Adding an amount
field to a measure starts here.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.money import format_kroner

# This year's budget.
BUDGET_FIELDS = ("owner_amount", "uh_amount")

# Continuation estimates after the school year: autumn Y+1, Y+2 and Y+3 (index 1, 2, 3),
# each with an owner and a UH amount and a justification of each.
CONTINUATION_YEARS = (1, 2, 3)
CONTINUATION_FIELDS = tuple(
    f"cont{index}_{side}" for index in CONTINUATION_YEARS for side in ("owner", "uh")
)

# The amounts a UH confirmation covers, in the order stored with it: changing any clears it.
AMOUNT_FIELDS = BUDGET_FIELDS + CONTINUATION_FIELDS

LABELS = {"owner_amount": _("owner (kr)"), "uh_amount": _("UH (kr)")}


def continuation_period(index, year):
    """The period of continuation estimate `index` (1–3) for a report of `year`."""
    return _("Autumn %(year)s") % {"year": year + 1} if index == 1 else str(year + index)


def amount_label(name, year):
    """The label of an amount field as the measure form shows it for a report's year."""
    if name in LABELS:
        return LABELS[name]
    index, side = int(name[4]), name.split("_")[1]
    period = continuation_period(index, year)
    if side == "owner":
        return _("%(period)s: owner (kr)") % {"period": period}
    return _("%(period)s: UH (kr)") % {"period": period}


def reason_label(name, year):
    """The label of a continuation estimate's justification (`cont1_owner_reason` etc.)."""
    index, side = int(name[4]), name.split("_")[1]
    period = continuation_period(index, year)
    if side == "owner":
        return _("%(period)s: owner, justification") % {"period": period}
    return _("%(period)s: UH, justification") % {"period": period}


def amount_ceiling_problem(value, ceiling):
    """The message when `value` is above the county's highest amount per measure part
    (RuleSettings.max_measure_amount), else None. Form, autosave and import ask this."""
    if value is None or ceiling is None or value <= ceiling:
        return None
    return gettext(
        "%(amount)s is more than the highest amount per measure part in this county's rules "
        "(%(max)s). Check that there are no extra digits."
    ) % {"amount": format_kroner(value), "max": format_kroner(ceiling)}
