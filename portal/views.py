from django.shortcuts import render

from partnerships.models import CountyOffice


def dashboard(request):
    user = request.user
    memberships = user.memberships.select_related("partnership").order_by("partnership__name")
    offices = CountyOffice.objects.all() if user.is_superuser else user.county_offices.all()
    return render(
        request,
        "portal/dashboard.html",
        {"memberships": memberships, "offices": offices},
    )
