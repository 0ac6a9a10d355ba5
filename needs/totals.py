"""A need report's stored totals: what its measures ask for and what is allocated to them.

Lists, the review queue, allocation and statistics read these columns instead of summing the
measures. `refresh_totals` is the one function that keeps them; every write that changes an
amount (measure save, delete, import, copy, allocation, rescale) calls it in the same
transaction. `manage.py check_totals` compares them with the rows.
"""

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import NeedReport

# stored field -> the measure amount it sums
SUMMED = {
    "requested_owner": "owner_amount",
    "requested_uh": "uh_amount",
    "requested_coordinator": "coordinator_amount",
    "allocated_owner": "allocation__owner_amount",
    "allocated_uh": "allocation__uh_amount",
}
# The measure fields whose change changes the stored totals.
MEASURE_FIELDS = frozenset(v for v in SUMMED.values() if "__" not in v)
# The stored totals that only those fields change (a measure's allocation changes the others).
REQUESTED = frozenset(k for k, v in SUMMED.items() if v in MEASURE_FIELDS)


def _measure_sums(fields=SUMMED):
    measures = NeedReport.measures.rel.related_model.objects.filter(report=OuterRef("pk"))
    return {
        field: Coalesce(
            Subquery(
                measures.order_by().values("report").annotate(s=Sum(SUMMED[field])).values("s")[:1]
            ),
            0,
        )
        for field in fields
    }


def with_computed_totals(reports):
    """Annotate `computed_<field>` for every stored total, summed from the rows."""
    return reports.annotate(**{f"computed_{k}": v for k, v in _measure_sums().items()})


def refresh_totals(*reports, requested_only=False):
    """Recompute the stored totals of these reports (objects or ids) in one UPDATE.

    Call it inside the transaction of the write that changed an amount, after the write.
    `requested_only`: only the measures' own amounts changed, not their allocations (a
    measure's save), so only the requested totals are summed: the allocated ones cannot
    have changed, and leaving out their joins halves the cost of each autosave's UPDATE.
    """
    sums = _measure_sums(REQUESTED if requested_only else SUMMED)
    totals = {"requested_total": sums["requested_owner"] + sums["requested_uh"]}
    if not requested_only:
        totals["allocated_total"] = sums["allocated_owner"] + sums["allocated_uh"]
    NeedReport.objects.filter(pk__in=[getattr(r, "pk", r) for r in reports]).update(
        **sums, **totals
    )


def drift(reports=None):
    """[(report, {field: (stored, computed)})] for every report whose totals are wrong."""
    reports = with_computed_totals(reports if reports is not None else NeedReport.objects.all())
    found = []
    for report in reports.order_by("pk"):
        computed = {f: getattr(report, f"computed_{f}") for f in SUMMED}
        computed["requested_total"] = computed["requested_owner"] + computed["requested_uh"]
        computed["allocated_total"] = computed["allocated_owner"] + computed["allocated_uh"]
        wrong = {
            f: (getattr(report, f), value)
            for f, value in computed.items()
            if getattr(report, f) != value
        }
        if wrong:
            found.append((report, wrong))
    return found
