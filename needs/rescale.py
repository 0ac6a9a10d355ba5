"""Fitting allocations to a changed frame. Pure Python, no Django.

`fit(lines, available, distribute_increase)` takes {key: (allocated, requested)} in whole
kroner and what is available (the frame minus what earlier years committed), and returns
(case, {key: new allocated}):

- SHRUNK: more is allocated than is available. Every allocation shrinks by the same factor so
  that they add up to exactly what is available: each gets the whole kroner below its exact
  share, and the kroner left over go one each to the largest remainders (ties broken by key,
  so the result never depends on the order of the lines).
- UNCHANGED: what is available still covers the allocations, and the officer did not ask to
  distribute the increase.
- DISTRIBUTED: the increase is shared in proportion to what each line has, but no line rises
  above what was requested; what a capped line cannot take goes to the others (water-filling).
  A line with nothing allocated stays at nothing. What no line can take stays unallocated.
"""

SHRUNK, UNCHANGED, DISTRIBUTED = "shrunk", "unchanged", "distributed"


def share(weights, total):
    """Split `total` kroner in proportion to non-negative integer `weights` ({key: weight}),
    exactly (largest remainder; ties to the smaller key). All zero weights: nothing."""
    weight_sum = sum(weights.values())
    if weight_sum == 0 or total == 0:
        return dict.fromkeys(weights, 0)
    result = {k: w * total // weight_sum for k, w in weights.items()}
    leftover = total - sum(result.values())
    by_remainder = sorted(weights, key=lambda k: (-(weights[k] * total % weight_sum), k))
    for key in by_remainder[:leftover]:
        result[key] += 1
    return result


def fit(lines, available, distribute_increase=False):
    """(case, {key: new allocated}); see the module's docstring."""
    if available < 0:
        raise ValueError("available must not be negative")
    allocated = {k: a for k, (a, _r) in lines.items()}
    total = sum(allocated.values())
    if total > available:
        return SHRUNK, share(allocated, available)
    if not distribute_increase or total == available:
        return UNCHANGED, dict(allocated)
    result = dict(allocated)
    room = {k: max(r - a, 0) for k, (a, r) in lines.items()}
    increase = min(available - total, sum(room.values()))
    open_keys = {k for k in lines if room[k] > 0 and allocated[k] > 0}
    while increase > 0 and open_keys:
        extra = share({k: allocated[k] for k in open_keys}, increase)
        full = {k for k in open_keys if extra[k] >= room[k]}
        if not full:
            for k in open_keys:
                result[k] += extra[k]
            increase = 0
            break
        # Lines the share would fill get exactly what they asked for; the rest is shared
        # again among the others.
        for k in full:
            result[k] += room[k]
            increase -= room[k]
            room[k] = 0
        open_keys -= full
    return DISTRIBUTED, result
