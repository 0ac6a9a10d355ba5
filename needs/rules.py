"""The budget and split rules of a need report, in plain Python.

Integers (whole kroner) and rule settings in, a list of findings out. No Django:
forms, submission, allocation and PDFs all call this module, and the sentence a
user reads is made from a finding at the edge (needs/findings.py), translated.
"""

from dataclasses import dataclass, field

UH_SHARE_BELOW_MINIMUM = "uh_share_below_minimum"
TOTAL_ZERO = "total_zero"
COFINANCING_TOO_LOW = "cofinancing_too_low"
COORDINATOR_CAP_EXCEEDED = "coordinator_cap_exceeded"
COORDINATOR_AMOUNT_ABOVE_OWNER = "coordinator_amount_above_owner"


@dataclass(frozen=True)
class RuleSet:
    min_uh_share_percent: int = 60
    cofinancing_percent: int | None = None
    coordinator_cap: int | None = None
    max_measure_amount: int = 50_000_000


@dataclass(frozen=True)
class MeasureFigures:
    owner: int
    uh: int
    coordinator: int = 0
    label: str = ""


@dataclass(frozen=True)
class Finding:
    code: str
    figures: dict = field(default_factory=dict, compare=False, hash=False)
    blocking: bool = True


def _ceil_div(numerator, denominator):
    return -(-numerator // denominator)


def meets_min_share(owner, uh, min_share_percent):
    """100*uh >= min_share*total, in integers. A total of 0 never meets it."""
    total = owner + uh
    return total > 0 and 100 * uh >= min_share_percent * total


def split_shortfall(owner, uh, min_share_percent):
    """The fewest whole kroner that, moved from owner to UH, meet the minimum UH share.

    Moving money keeps the total; 0 when the rule is already met.
    """
    total = owner + uh
    missing = min_share_percent * total - 100 * uh
    if missing <= 0:
        return 0
    return _ceil_div(missing, 100)


def check_split(owner, uh, rules):
    """Findings for the split rule on one report's totals (request or allocation)."""
    total = owner + uh
    if total == 0:
        return [Finding(TOTAL_ZERO, {"owner": 0, "uh": 0, "total": 0})]
    if meets_min_share(owner, uh, rules.min_uh_share_percent):
        return []
    return [
        Finding(
            UH_SHARE_BELOW_MINIMUM,
            {
                "owner": owner,
                "uh": uh,
                "total": total,
                "min_share_percent": rules.min_uh_share_percent,
                "required_uh": _ceil_div(rules.min_uh_share_percent * total, 100),
                "shortfall": split_shortfall(owner, uh, rules.min_uh_share_percent),
            },
        )
    ]


def check_cofinancing(owner_total, cofinancing, rules):
    if not rules.cofinancing_percent or owner_total == 0:
        return []
    required = _ceil_div(rules.cofinancing_percent * owner_total, 100)
    given = cofinancing or 0
    if given >= required:
        return []
    return [
        Finding(
            COFINANCING_TOO_LOW,
            {
                "percent": rules.cofinancing_percent,
                "owner": owner_total,
                "required": required,
                "given": given,
                "shortfall": required - given,
            },
        )
    ]


def check_coordinator(measures, rules):
    findings = [
        Finding(
            COORDINATOR_AMOUNT_ABOVE_OWNER,
            {"label": m.label, "coordinator": m.coordinator, "owner": m.owner},
        )
        for m in measures
        if m.coordinator > m.owner
    ]
    used = sum(m.coordinator for m in measures)
    if rules.coordinator_cap is not None and used > rules.coordinator_cap:
        findings.append(
            Finding(
                COORDINATOR_CAP_EXCEEDED,
                {
                    "used": used,
                    "cap": rules.coordinator_cap,
                    "excess": used - rules.coordinator_cap,
                },
            )
        )
    return findings


def check_report(measures, rules, cofinancing=None):
    """Every rule finding for a report's measures."""
    owner = sum(m.owner for m in measures)
    uh = sum(m.uh for m in measures)
    return (
        check_split(owner, uh, rules)
        + check_cofinancing(owner, cofinancing, rules)
        + check_coordinator(measures, rules)
    )


def blocking(findings, excepted_codes=()):
    """The findings that block submission: those without a recorded exception."""
    return [f for f in findings if f.blocking and f.code not in excepted_codes]
