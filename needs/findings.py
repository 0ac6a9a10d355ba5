"""Plain-Norwegian sentences for rule findings (the edge of needs/rules.py)."""

from django.utils.translation import gettext as _

from portal.money import format_kroner, format_percent

from . import rules


def describe(finding):
    f = finding.figures
    if finding.code == rules.TOTAL_ZERO:
        return _("The report asks for 0 kr. Enter the owner and UH amounts of the measures.")
    if finding.code == rules.UH_SHARE_BELOW_MINIMUM:
        return _(
            "The UH share is %(share)s. The requirement is at least %(min)s %%. "
            "Move at least %(shortfall)s from owner to UH."
        ) % {
            "share": format_percent(f["uh"], f["total"]),
            "min": f["min_share_percent"],
            "shortfall": format_kroner(f["shortfall"]),
        }
    if finding.code == rules.COFINANCING_TOO_LOW:
        return _(
            "The owners' co-financing must be at least %(percent)s %% of the owner grant: "
            "%(required)s. The report states %(given)s, %(shortfall)s too little."
        ) % {
            "percent": f["percent"],
            "required": format_kroner(f["required"]),
            "given": format_kroner(f["given"]),
            "shortfall": format_kroner(f["shortfall"]),
        }
    if finding.code == rules.COORDINATOR_CAP_EXCEEDED:
        return _(
            "Coordinator funds total %(used)s, above the county's cap of %(cap)s. "
            "Reduce them by at least %(excess)s."
        ) % {
            "used": format_kroner(f["used"]),
            "cap": format_kroner(f["cap"]),
            "excess": format_kroner(f["excess"]),
        }
    if finding.code == rules.COORDINATOR_AMOUNT_ABOVE_OWNER:
        return _(
            "Measure “%(label)s”: coordinator funds (%(coordinator)s) are more than the "
            "owner's part (%(owner)s)."
        ) % {
            "label": f["label"],
            "coordinator": format_kroner(f["coordinator"]),
            "owner": format_kroner(f["owner"]),
        }
    return finding.code


def rule_title(code):
    titles = {
        rules.UH_SHARE_BELOW_MINIMUM: _("Minimum UH share"),
        rules.TOTAL_ZERO: _("Amount requested"),
        rules.COFINANCING_TOO_LOW: _("Owner co-financing"),
        rules.COORDINATOR_CAP_EXCEEDED: _("Cap on coordinator funds"),
        rules.COORDINATOR_AMOUNT_ABOVE_OWNER: _("Coordinator funds"),
    }
    return titles.get(code, code)
