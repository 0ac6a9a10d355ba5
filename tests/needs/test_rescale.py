"""Fitting allocations to a changed frame (needs.rescale): examples from issue 20 and the
properties that must hold for any input."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needs.rescale import DISTRIBUTED, SHRUNK, UNCHANGED, fit, share


@st.composite
def line_sets(draw):
    """{key: (allocated, requested)}; mostly allocated within the request, sometimes above."""
    count = draw(st.integers(min_value=1, max_value=20))
    lines = {}
    for key in range(count):
        requested = draw(st.integers(min_value=0, max_value=10**8))
        allocated = draw(
            st.one_of(
                st.integers(min_value=0, max_value=requested),
                st.integers(min_value=0, max_value=10**8),
            )
        )
        lines[key] = (allocated, requested)
    return lines


availables = st.integers(min_value=0, max_value=3 * 10**9)
# The machine running the tests may be busy: judge the properties, not the generation speed.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow])


# Issue 20's Dekom 2024: frame 12 000 000, 2 000 000 committed, 1 524 000 allocated.
PEDAGOGISK_ANALYSE = {
    "analyse_owner": (50_000, 50_000),
    "analyse_uh": (241_000, 241_000),
    "rest": (1_233_000, 1_253_000),
}


def test_issue_examples_shrink_to_fit_or_stay():
    # New frame 3 000 000: 1 000 000 available, 1 524 000 allocated -> must shrink to fit.
    case, result = fit(PEDAGOGISK_ANALYSE, 3_000_000 - 2_000_000)
    assert case == SHRUNK
    assert sum(result.values()) == 1_000_000
    # New frame 11 000 000: 9 000 000 available covers 1 524 000: nothing changes.
    case, result = fit(PEDAGOGISK_ANALYSE, 11_000_000 - 2_000_000)
    assert case == UNCHANGED
    assert result == {k: a for k, (a, _r) in PEDAGOGISK_ANALYSE.items()}


def test_a_growing_frame_never_raises_a_line_above_its_request():
    case, result = fit(PEDAGOGISK_ANALYSE, 15_000_000 - 2_000_000)
    assert case == UNCHANGED
    case, result = fit(PEDAGOGISK_ANALYSE, 15_000_000 - 2_000_000, distribute_increase=True)
    assert case == DISTRIBUTED
    assert result["analyse_uh"] == 241_000  # was raised to 313 300 before
    assert result == {k: r for k, (_a, r) in PEDAGOGISK_ANALYSE.items()}


def test_what_a_capped_line_cannot_take_goes_to_the_others():
    lines = {"a": (100, 110), "b": (100, 1_000)}
    case, result = fit(lines, 300, distribute_increase=True)
    assert case == DISTRIBUTED
    assert result == {"a": 110, "b": 190}


def test_share_is_exact_and_ties_go_by_key():
    assert share({"x": 1, "y": 1, "z": 1}, 10) == {"x": 4, "y": 3, "z": 3}
    assert share({"x": 0, "y": 0}, 10) == {"x": 0, "y": 0}


@relaxed
@given(line_sets(), availables, st.booleans())
def test_never_negative_and_never_above_available(lines, available, distribute):
    _case, result = fit(lines, available, distribute)
    assert all(v >= 0 for v in result.values())
    assert sum(result.values()) <= max(available, 0)


@relaxed
@given(line_sets(), availables, st.booleans())
def test_never_above_the_request(lines, available, distribute):
    """A line never rises above its request (one allocated above it is at most cut)."""
    _case, result = fit(lines, available, distribute)
    for key, (allocated, requested) in lines.items():
        assert result[key] <= max(allocated, requested)


@relaxed
@given(line_sets(), availables)
def test_shrinking_fits_exactly_and_proportionally(lines, available):
    total = sum(a for a, _r in lines.values())
    case, result = fit(lines, available)
    if total <= available:
        assert case == UNCHANGED
        assert result == {k: a for k, (a, _r) in lines.items()}
        return
    assert case == SHRUNK
    assert sum(result.values()) == available
    for key, (allocated, _r) in lines.items():
        exact = allocated * available / total
        assert exact - 1 < result[key] < exact + 1
        assert result[key] <= allocated


@relaxed
@given(line_sets(), availables)
def test_distributing_uses_what_the_requests_leave_room_for(lines, available):
    total = sum(a for a, _r in lines.values())
    _case, result = fit(lines, available, distribute_increase=True)
    if total > available:
        return
    for key, (allocated, _r) in lines.items():
        assert result[key] >= allocated  # an increase never cuts a line
    room = sum(max(r - a, 0) for a, r in lines.values() if a > 0)
    assert sum(result.values()) == total + min(available - total, room)


@relaxed
@given(line_sets(), availables, st.booleans(), st.randoms(use_true_random=False))
def test_independent_of_order(lines, available, distribute, random):
    keys = list(lines)
    random.shuffle(keys)
    shuffled = {k: lines[k] for k in keys}
    assert fit(shuffled, available, distribute) == fit(lines, available, distribute)
