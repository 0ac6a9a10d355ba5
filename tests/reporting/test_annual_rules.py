"""The pure spending rules of the annual report: integers in, findings out (no database)."""

from reporting.annual_rules import (
    OWNER,
    SPENDING_OVER_ALLOCATION,
    UH,
    SpendingLine,
    missing_amounts,
    spending_findings,
    spending_totals,
    unused,
)


def test_unused_is_what_is_left_and_never_negative():
    assert unused(120_000, 100_000) == 20_000
    assert unused(120_000, None) == 120_000
    assert unused(120_000, 150_000) == 0


def test_spending_over_the_allocation_is_a_finding_with_the_figures():
    lines = [
        SpendingLine(120_000, 125_000, 130_000, 125_000, "Nettverk"),
        SpendingLine(50_000, 50_000, 50_000, 60_000, "Magisk måned"),
    ]
    findings = spending_findings(lines)
    assert [(f.code, f.figures["number"], f.figures["side"]) for f in findings] == [
        (SPENDING_OVER_ALLOCATION, 1, OWNER),
        (SPENDING_OVER_ALLOCATION, 2, UH),
    ]
    assert findings[0].figures == {
        "number": 1,
        "measure": "Nettverk",
        "side": OWNER,
        "allocated": 120_000,
        "used": 130_000,
        "excess": 10_000,
    }
    assert not any(f.blocking for f in findings)


def test_no_findings_when_within_the_allocation():
    assert spending_findings([SpendingLine(100, 100, 100, 0), SpendingLine(5, 5, None, None)]) == []


def test_overspending_one_measure_does_not_hide_unused_funds_of_another():
    totals = spending_totals(
        [SpendingLine(100_000, 0, 130_000, None), SpendingLine(50_000, 80_000, 20_000, 80_000)]
    )
    assert (totals.allocated_owner, totals.used_owner, totals.unused_owner) == (
        150_000,
        150_000,
        30_000,
    )
    assert (totals.allocated_uh, totals.used_uh, totals.unused_uh) == (80_000, 80_000, 0)
    assert (totals.allocated, totals.used, totals.unused) == (230_000, 230_000, 30_000)


def test_missing_amounts_only_where_something_was_allocated():
    lines = [SpendingLine(70_000, 0, None, None), SpendingLine(10, 20, 10, None)]
    assert missing_amounts(lines) == [(1, OWNER), (2, UH)]
