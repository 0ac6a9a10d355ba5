"""Proportional rescaling of allocations when the state changes the frame. Pure Python.

Method: largest remainder (Hamilton). Each line gets the floor of its exact proportional
share; the kroner left over go, one each, to the lines with the largest remainders. When
lines with equal remainders straddle the cut, none of that tie group gets an extra krone,
so the result never depends on the order of the lines. The new total therefore equals the
target exactly, or falls short of it by fewer kroner than there are lines.
"""


def rescale(amounts, target):
    """Scale non-negative integer `amounts` so they sum to (at most) `target`."""
    if target < 0:
        raise ValueError("target must not be negative")
    old_total = sum(amounts)
    if old_total == 0:
        return [0] * len(amounts)
    scaled = [a * target for a in amounts]
    floors = [s // old_total for s in scaled]
    remainders = [s % old_total for s in scaled]
    leftover = target - sum(floors)
    result = list(floors)
    # Distinct remainder values, largest first; give whole tie groups while they fit.
    for value in sorted({r for r in remainders if r > 0}, reverse=True):
        group = [i for i, r in enumerate(remainders) if r == value]
        if len(group) > leftover:
            break
        for i in group:
            result[i] += 1
        leftover -= len(group)
    return result


def scaled_target(allocated_total, old_available, new_available):
    """Allocations follow the frame: the share of the frame they used is kept."""
    if old_available <= 0:
        return min(allocated_total, new_available)
    return allocated_total * new_available // old_available
