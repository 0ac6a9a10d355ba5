"""The case officer's overview on the dashboard (templates/portal/partials/officer_overview.html):
per county office, scheme and year, what waits for review and how much of the frame is left."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from .models import NeedReport
from .models_allocation import Frame

YEARS_SHOWN = 2  # the newest years with reports


@dataclass
class OverviewRow:
    county_office: str
    county_office_id: int
    scheme: str
    scheme_code: str
    year: int
    submitted: int
    reviewed: int
    decided: int
    allocated: int
    frame: int | None
    committed: int

    @property
    def left(self):
        """What is left of the frame after earlier commitments and this year's allocations."""
        return None if self.frame is None else self.frame - self.committed - self.allocated


def officer_overview(user):
    """[OverviewRow] for the newest years of the county offices the user works for (two
    queries: the reports grouped, and the frames of those groups)."""
    Status = NeedReport.Status
    groups = list(
        NeedReport.objects.reviewable_by(user)
        .values(
            "partnership__region__county_office_id",
            "partnership__region__county_office__name",
            "scheme__short_name",
            "scheme__code",
            "scheme__order",
            "scheme_id",
            "year",
        )
        .annotate(
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            reviewed=Count("pk", filter=Q(status=Status.REVIEWED)),
            decided=Count("pk", filter=Q(status__in=[Status.ALLOCATED, Status.REJECTED])),
            allocated=Sum("allocated_total"),
        )
        .order_by("-year", "partnership__region__county_office__name", "scheme__order")
    )
    years = sorted({g["year"] for g in groups}, reverse=True)[:YEARS_SHOWN]
    groups = [g for g in groups if g["year"] in years]
    if not groups:
        return []
    frames = {
        (f.county_office_id, f.scheme_id, f.year): f
        for f in Frame.objects.editable_by(user).filter(year__in=years)
    }
    rows = []
    for g in groups:
        office = g["partnership__region__county_office_id"]
        frame = frames.get((office, g["scheme_id"], g["year"]))
        rows.append(
            OverviewRow(
                county_office=g["partnership__region__county_office__name"],
                county_office_id=office,
                scheme=g["scheme__short_name"],
                scheme_code=g["scheme__code"],
                year=g["year"],
                submitted=g["submitted"],
                reviewed=g["reviewed"],
                decided=g["decided"],
                allocated=g["allocated"] or 0,
                frame=frame.amount if frame else None,
                committed=frame.committed if frame else 0,
            )
        )
    return rows
