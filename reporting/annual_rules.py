"""Spending against the allocation, in plain Python (no Django).

Per measure: what was allocated to owner and UH, and what each used (None: not filled in
yet). Out come the unused amounts and the findings. Spending over the allocation is a
finding with the figures, never an error: the report tells what happened, and the county
office judges it. Unused funds are counted per measure and side, so money spent beyond
the allocation of one measure does not hide money left over in another.
"""

from dataclasses import dataclass, field

SPENDING_OVER_ALLOCATION = "spending_over_allocation"

OWNER = "owner"
UH = "uh"


@dataclass(frozen=True)
class SpendingLine:
    allocated_owner: int
    allocated_uh: int
    used_owner: int | None
    used_uh: int | None
    label: str = ""

    def allocated(self, side):
        return self.allocated_owner if side == OWNER else self.allocated_uh

    def used(self, side):
        return self.used_owner if side == OWNER else self.used_uh

    def unused(self, side):
        return unused(self.allocated(side), self.used(side))

    def over(self, side):
        return max((self.used(side) or 0) - self.allocated(side), 0)

    @property
    def unused_owner(self):
        return self.unused(OWNER)

    @property
    def unused_uh(self):
        return self.unused(UH)


@dataclass(frozen=True)
class Finding:
    code: str
    figures: dict = field(default_factory=dict, compare=False, hash=False)
    blocking: bool = False


@dataclass(frozen=True)
class SpendingTotals:
    allocated_owner: int
    allocated_uh: int
    used_owner: int
    used_uh: int
    unused_owner: int
    unused_uh: int

    @property
    def allocated(self):
        return self.allocated_owner + self.allocated_uh

    @property
    def used(self):
        return self.used_owner + self.used_uh

    @property
    def unused(self):
        return self.unused_owner + self.unused_uh


def unused(allocated, used):
    """What is left of an allocation; nothing filled in counts as nothing used."""
    return max(allocated - (used or 0), 0)


def spending_findings(lines):
    """One finding per measure and side where more was used than allocated."""
    findings = []
    for number, line in enumerate(lines, start=1):
        for side in (OWNER, UH):
            excess = line.over(side)
            if excess:
                findings.append(
                    Finding(
                        SPENDING_OVER_ALLOCATION,
                        {
                            "number": number,
                            "measure": line.label,
                            "side": side,
                            "allocated": line.allocated(side),
                            "used": line.used(side),
                            "excess": excess,
                        },
                    )
                )
    return findings


def missing_amounts(lines):
    """[(number, side)] where an amount was allocated but nothing is reported as used."""
    return [
        (number, side)
        for number, line in enumerate(lines, start=1)
        for side in (OWNER, UH)
        if line.allocated(side) and line.used(side) is None
    ]


def spending_totals(lines):
    return SpendingTotals(
        allocated_owner=sum(line.allocated_owner for line in lines),
        allocated_uh=sum(line.allocated_uh for line in lines),
        used_owner=sum(line.used_owner or 0 for line in lines),
        used_uh=sum(line.used_uh or 0 for line in lines),
        unused_owner=sum(line.unused(OWNER) for line in lines),
        unused_uh=sum(line.unused(UH) for line in lines),
    )
