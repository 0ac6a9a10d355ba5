from hypothesis import given
from hypothesis import strategies as st

from needs.rescale import rescale, scaled_target

amount_lists = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=40)
targets = st.integers(min_value=0, max_value=10**10)


def test_ten_percent_cut_sums_exactly():
    amounts = [50_000, 174_000, 120_000, 125_000, 70_000, 0]
    result = rescale(amounts, sum(amounts) * 9 // 10)
    assert sum(result) == sum(amounts) * 9 // 10
    assert result[-1] == 0


def test_ties_at_the_cut_get_nothing_extra():
    # Three equal lines, target 10: 3.33 each; the one krone left cannot be split fairly.
    assert rescale([1, 1, 1], 10) == [3, 3, 3]


@given(amount_lists, targets)
def test_sum_bound_holds(amounts, target):
    result = rescale(amounts, target)
    if sum(amounts) == 0:
        assert result == [0] * len(amounts)
        return
    assert target - len(amounts) < sum(result) <= target


@given(amount_lists, targets)
def test_no_negative_amounts_and_each_line_near_its_share(amounts, target):
    result = rescale(amounts, target)
    total = sum(amounts)
    for before, after in zip(amounts, result, strict=True):
        assert after >= 0
        if total:
            exact = before * target / total
            assert exact - 1 < after < exact + 1


@given(amount_lists, targets, st.randoms(use_true_random=False))
def test_order_independent(amounts, target, random):
    shuffled = list(enumerate(amounts))
    random.shuffle(shuffled)
    result = rescale([a for _, a in shuffled], target)
    by_index = dict(zip([i for i, _ in shuffled], result, strict=True))
    assert [by_index[i] for i in range(len(amounts))] == rescale(amounts, target)


def test_target_follows_the_frame():
    assert scaled_target(10_000_000, 10_000_000, 9_000_000) == 9_000_000
    assert scaled_target(5_000_000, 10_000_000, 9_000_000) == 4_500_000
