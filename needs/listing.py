"""Reads for the long lists of need reports (the list page and the review queue).

A county-year can hold hundreds of reports and ten years thousands, so the lists are paged:
the page's rows get their sums from correlated subqueries, which PostgreSQL evaluates only for
the rows of the page (no GROUP BY over every report), and the totals of the whole filtered set
come from one aggregate query.
"""

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from measures.models import Measure

from .models import NeedReport


def measure_sum(amount, report_ref="pk"):
    """The sum of one amount over a report's measures, as a correlated subquery (0 if none)."""
    return Coalesce(
        Subquery(
            Measure.objects.filter(report=OuterRef(report_ref))
            .order_by()
            .values("report")
            .annotate(total=Sum(amount))
            .values("total")
        ),
        0,
    )


def with_sums(reports, *amounts):
    """Annotate owner_sum and uh_sum (and e.g. coordinator_sum) from the measures."""
    names = amounts or ("owner_amount", "uh_amount")
    return reports.annotate(
        **{name.replace("_amount", "_sum"): measure_sum(name) for name in names}
    )


def totals_of(reports):
    """{"count", "owner", "uh", "total"} of the whole filtered set: one query."""
    totals = reports.order_by().aggregate(
        count=Count("pk", distinct=True),
        owner=Sum("measures__owner_amount", default=0),
        uh=Sum("measures__uh_amount", default=0),
    )
    totals["total"] = totals["owner"] + totals["uh"]
    return totals


def url_maker(name):
    """A function pk -> the URL named `name` with that pk: reverse() once, not once a row."""
    sentinel = 987654321
    pattern = reverse(name, args=[sentinel])
    return lambda pk: pattern.replace(str(sentinel), str(int(pk)))


def status_labels():
    """{status: its translated label}, for lists that show a status in every row."""
    return {value: str(label) for value, label in NeedReport.Status.choices}
