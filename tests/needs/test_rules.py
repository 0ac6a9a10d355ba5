from hypothesis import given
from hypothesis import strategies as st

from needs import rules
from needs.rules import MeasureFigures, RuleSet

SEED = [
    (50_000, 174_000),
    (120_000, 125_000),
    (120_000, 125_000),
    (75_000, 114_000),
    (50_000, 241_000),
    (90_000, 90_000),
    (50_000, 50_000),
    (70_000, 0),
]


def test_seed_report_is_below_60_percent_with_shortfall_7400():
    measures = [MeasureFigures(owner=o, uh=u) for o, u in SEED]
    findings = rules.check_report(measures, RuleSet(min_uh_share_percent=60))
    assert [f.code for f in findings] == [rules.UH_SHARE_BELOW_MINIMUM]
    figures = findings[0].figures
    assert (figures["owner"], figures["uh"], figures["total"]) == (625_000, 919_000, 1_544_000)
    assert figures["required_uh"] == 926_400
    assert figures["shortfall"] == 7_400


def test_exactly_at_minimum_passes_and_one_krone_under_fails():
    assert rules.check_split(40, 60, RuleSet()) == []
    assert rules.check_split(400_000, 600_000, RuleSet()) == []
    findings = rules.check_split(400_001, 599_999, RuleSet())
    assert findings[0].figures["shortfall"] == 1


def test_zero_total_is_its_own_finding():
    findings = rules.check_split(0, 0, RuleSet())
    assert [f.code for f in findings] == [rules.TOTAL_ZERO]


def test_amounts_up_to_10_to_the_12th():
    big = 10**12
    findings = rules.check_split(big, big, RuleSet(min_uh_share_percent=60))
    assert findings[0].figures["shortfall"] == big // 5  # 0.6 * 2e12 - 1e12
    assert rules.check_split(0, big, RuleSet()) == []


def test_higher_uh_share_is_always_allowed():
    assert rules.check_split(0, 100, RuleSet(min_uh_share_percent=60)) == []


def test_percentages_are_data():
    assert rules.check_split(45, 55, RuleSet(min_uh_share_percent=50)) == []
    assert rules.check_split(45, 55, RuleSet(min_uh_share_percent=60))


def test_cofinancing_finding_with_figures():
    findings = rules.check_cofinancing(625_000, 100_000, RuleSet(cofinancing_percent=30))
    assert findings[0].code == rules.COFINANCING_TOO_LOW
    assert findings[0].figures["required"] == 187_500
    assert findings[0].figures["shortfall"] == 87_500
    assert rules.check_cofinancing(625_000, 187_500, RuleSet(cofinancing_percent=30)) == []
    assert rules.check_cofinancing(625_000, None, RuleSet()) == []


def test_coordinator_cap_and_per_measure_check():
    measures = [
        MeasureFigures(owner=70_000, uh=0, coordinator=70_000, label="Koordinator"),
        MeasureFigures(owner=10_000, uh=0, coordinator=20_000, label="Feil"),
    ]
    codes = [f.code for f in rules.check_coordinator(measures, RuleSet(coordinator_cap=50_000))]
    assert codes == [rules.COORDINATOR_AMOUNT_ABOVE_OWNER, rules.COORDINATOR_CAP_EXCEEDED]
    assert rules.check_coordinator(measures[:1], RuleSet()) == []


def test_exceptions_unblock_only_their_rule():
    findings = rules.check_report([MeasureFigures(owner=100, uh=0)], RuleSet())
    assert rules.blocking(findings) == findings
    assert rules.blocking(findings, {rules.UH_SHARE_BELOW_MINIMUM}) == []


amounts = st.integers(min_value=0, max_value=10**12)
shares = st.integers(min_value=0, max_value=100)


@given(amounts, amounts, shares)
def test_shortfall_always_fixes_the_rule_and_one_less_never_does(owner, uh, share):
    total = owner + uh
    shortfall = rules.split_shortfall(owner, uh, share)
    assert 0 <= shortfall <= owner
    if total == 0:
        return
    assert rules.meets_min_share(owner - shortfall, uh + shortfall, share)
    if shortfall > 0:
        assert not rules.meets_min_share(owner - shortfall + 1, uh + shortfall - 1, share)


@given(amounts, amounts, shares)
def test_finding_exactly_when_rule_is_broken(owner, uh, share):
    findings = rules.check_split(owner, uh, RuleSet(min_uh_share_percent=share))
    if owner + uh == 0:
        assert findings[0].code == rules.TOTAL_ZERO
    else:
        assert bool(findings) == (100 * uh < share * (owner + uh))
