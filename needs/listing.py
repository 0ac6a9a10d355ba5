"""Reads for the long lists of need reports (the list page and the review queue).

A county-year can hold hundreds of reports and ten years thousands, so the lists are paged.
Each report's sums are stored on it (needs/totals.py), so a page is one plain query, and the
totals of the whole filtered set one aggregate over the same reports.
"""

from types import SimpleNamespace

from django.db.models import CharField, Count, F, IntegerField, Sum, Value

from partnerships.models import Partnership, Region, Scheme


def totals_of(reports):
    """{"count", "owner", "uh", "total"} of the whole filtered set: one query."""
    totals = reports.order_by().aggregate(
        count=Count("pk"),
        owner=Sum("requested_owner", default=0),
        uh=Sum("requested_uh", default=0),
    )
    totals["total"] = totals["owner"] + totals["uh"]
    return totals


OFFICE, SCHEME, YEAR, REGION, PARTNERSHIP = range(5)


def _kind(kind, **more):
    """The constant columns of one part of filter_choices' union."""
    return {"c_kind": Value(kind, output_field=IntegerField()), **more}


def filter_choices(offices, reports):
    """What the review queue offers to filter by, in one query (UNION ALL) instead of five:
    the county offices `offices` (CountyOffice.editable_by: for the allocation links), the
    schemes, the years of `reports` (the queue's scope, NeedReport.reviewable_by), and the
    offices' regions and partnerships, each in the order of its list.

    Returns {"offices": [ns(pk, name, county)], "schemes": [ns(pk, code, short_name)],
    "years": [year, newest first], "regions": [ns(pk, name)], "partnerships": [(pk, name)]}.
    """
    choices = {"offices": [], "schemes": [], "years": [], "regions": [], "partnerships": []}
    for kind, _sort, key, text, extra in _filter_choice_rows(offices, reports):
        if kind == OFFICE:
            choices["offices"].append(SimpleNamespace(pk=key, name=text, county=extra))
        elif kind == SCHEME:
            choices["schemes"].append(SimpleNamespace(pk=key, code=text, short_name=extra))
        elif kind == YEAR:
            choices["years"].append(key)
        elif kind == REGION:
            choices["regions"].append(SimpleNamespace(pk=key, name=text))
        else:
            choices["partnerships"].append((key, text))
    return choices


def _filter_choice_rows(offices, reports):
    zero = Value(0, output_field=IntegerField())
    blank = Value("", output_field=CharField())
    office_rows = (
        offices.order_by()
        .annotate(**_kind(OFFICE, c_sort=zero))
        .values_list("c_kind", "c_sort", "pk", "name", "county")
    )
    schemes = (
        Scheme.objects.order_by()
        .annotate(**_kind(SCHEME))
        .values_list("c_kind", "order", "pk", "code", "short_name")
    )
    years = (
        reports.order_by()
        .annotate(**_kind(YEAR, c_sort=-F("year"), c_text=blank, c_extra=blank))
        .values_list("c_kind", "c_sort", "year", "c_text", "c_extra")
        .distinct()
    )
    regions = (
        Region.objects.filter(county_office__in=offices)
        .order_by()
        .annotate(**_kind(REGION, c_sort=zero, c_extra=blank))
        .values_list("c_kind", "c_sort", "pk", "name", "c_extra")
    )
    partnerships = (
        Partnership.objects.filter(region__county_office__in=offices)
        .order_by()
        .annotate(**_kind(PARTNERSHIP, c_sort=zero, c_extra=blank))
        .values_list("c_kind", "c_sort", "pk", "name", "c_extra")
    )
    return list(
        office_rows.union(schemes, years, regions, partnerships, all=True).order_by(
            "c_kind", "c_sort", "name"
        )
    )


QUEUE_FIELDS = (
    "year",
    "status",
    "submitted_at",
    "priority",
    "cofinancing_amount",
    "scheme__short_name",
    "partnership__name",
    "partnership__region__name",
    "partnership__region__county_office_id",
    "requested_owner",
    "requested_uh",
    "requested_coordinator",
    "requested_total",
)


def queue_rows(reports, ordering):
    """The review queue's reports, ordered (e.g. by "-requested_total"), with what a row
    shows: their stored totals, partnership, region and scheme."""
    return (
        reports.select_related("partnership__region", "scheme")
        .only(*QUEUE_FIELDS)
        .order_by(*ordering, "pk")
    )
