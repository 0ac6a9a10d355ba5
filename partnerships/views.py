import tablib
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import downloads
from portal.paging import get_page
from portal.spreadsheets import ImportFailed, previewed_upload, upload_digest

from .access import (
    can_manage_partnership,
    get_organisation_for_user,
    get_partnership_for_user,
    get_rule_settings_for_user,
    managed_county_offices,
    require_officer,
)
from .forms import ContactFormSet, ImportForm, OrganisationForm, PartnershipForm, RuleSettingsForm
from .models import Organisation, Partnership, RuleSettings
from .organisation_import import (
    organisations_import,
    plan_import,
    read_organisation_file,
    template_csv,
    template_dataset,
)
from .services import organisation_audit, organisation_changed, watched_values

PARTNERSHIP_PAGE_SIZE = 50


def partnership_list(request):
    owner_count = (
        Partnership.owners.through.objects.filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partnerships = (
        # Visibility as a semi-join: no DISTINCT over the joined memberships, so the
        # paginator's COUNT(*) leaves out the owner count.
        Partnership.objects.filter(pk__in=Partnership.objects.visible_to(request.user).values("pk"))
        # A subquery per row of the page, not a join of every owner before paging.
        .annotate(
            owner_count=Coalesce(Subquery(owner_count), 0),
            region_name=F("region__name"),
            county_office_name=F("region__county_office__name"),
        )
        .order_by("region__county_office__name", "region__name", "name", "pk")
        # Named tuples, not model instances: the page shows these five values only.
        .values_list("pk", "name", "region_name", "county_office_name", "owner_count", named=True)
    )
    page = get_page(request, partnerships, per_page=PARTNERSHIP_PAGE_SIZE)
    can_create = not managed_county_offices(request.user).query.is_empty()
    return render(
        request,
        "partnerships/partnership_list.html",
        {"partnerships": page.object_list, "page": page, "can_create": can_create},
    )


def partnership_detail(request, pk):
    partnership = get_partnership_for_user(request, pk)
    context = {
        "partnership": partnership,
        "owners": partnership.owners.prefetch_related("contacts"),
        "uh_partners": partnership.uh_partners.prefetch_related("contacts"),
        "memberships": partnership.memberships.select_related("user").order_by("role"),
        "can_manage": can_manage_partnership(request.user, partnership),
    }
    return render(request, "partnerships/partnership_detail.html", context)


def _partnership_form(request, partnership=None):
    form = PartnershipForm(
        request.POST or None,
        instance=partnership,
        county_offices=managed_county_offices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        partnership = form.save()
        messages.success(request, _("The partnership was saved."))
        return redirect(partnership)
    return render(
        request, "partnerships/partnership_form.html", {"form": form, "partnership": partnership}
    )


def partnership_create(request):
    require_officer(request.user)
    return _partnership_form(request)


def partnership_edit(request, pk):
    return _partnership_form(request, get_partnership_for_user(request, pk, write=True))


def organisation_list(request):
    require_officer(request.user)
    organisations = (
        Organisation.objects.visible_to(request.user)
        .with_access(request.user)
        .select_related("county_office")
        .order_by("kind", "name")
    )
    return render(request, "partnerships/organisation_list.html", {"organisations": organisations})


def _organisation_form(request, organisation=None):
    county_offices = managed_county_offices(request.user)
    before = watched_values(organisation) if organisation else {}
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        county_offices=county_offices,
        user=request.user,
    )
    formset = ContactFormSet(request.POST or None, instance=organisation or Organisation())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            organisation = form.save()
            formset.instance = organisation
            formset.save()
            organisation_changed(organisation=organisation, before=before, user=request.user)
        messages.success(request, _("The organisation was saved."))
        return redirect("partnerships:organisation_list")
    audit = organisation_audit(organisation, request.user) if organisation else []
    return render(
        request,
        "partnerships/organisation_form.html",
        {"form": form, "formset": formset, "organisation": organisation, "audit": audit},
    )


def organisation_create(request):
    require_officer(request.user)
    return _organisation_form(request)


def organisation_edit(request, pk):
    """Only organisations in Organisation.editable_by: 404 outside visible_to, else 403."""
    return _organisation_form(request, get_organisation_for_user(request, pk, write=True))


IMPORT_SESSION_KEY = "organisation_import"


def organisation_import(request):
    """Upload → preview (per row: new, or an update with every field old → new; or the
    errors) → confirm → all-or-nothing import."""
    require_officer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            digest = upload_digest(form.cleaned_data["file"])
            dataset = read_organisation_file(form.cleaned_data["file"])
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            plan = plan_import(dataset, user=request.user)
            if plan.errors:
                context["errors"] = plan.errors
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "digest": digest,
                    "headers": list(dataset.headers),
                    "rows": [list(row) for row in dataset],
                }
                context["preview"] = plan
                context["digest"] = digest
    return render(request, "partnerships/organisation_import.html", context)


@require_POST
def organisation_import_confirm(request):
    require_officer(request.user)
    data = previewed_upload(request, IMPORT_SESSION_KEY)
    if data is None:
        return redirect("partnerships:organisation_import")
    dataset = tablib.Dataset(*data["rows"], headers=data["headers"])
    try:
        plan = organisations_import(
            dataset=dataset,
            user=request.user,
            county_office=managed_county_offices(request.user).first(),
        )
    except ImportFailed as failed:
        return render(
            request,
            "partnerships/organisation_import.html",
            {"form": ImportForm(), "errors": failed.errors},
        )
    totals = plan.totals
    messages.success(
        request,
        _("Import done: %(new)d new, %(update)d updated, %(skip)d unchanged.")
        % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
    )
    return redirect("partnerships:organisation_list")


def organisation_import_template(request, fmt="csv"):
    """The template: CSV with a BOM and semicolons (as Norwegian Excel opens it), or XLSX."""
    require_officer(request.user)
    if fmt == "xlsx":
        response = HttpResponse(
            template_dataset().export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    return downloads.attach(response, f"organisasjoner-mal.{fmt}")


def rules_list(request):
    require_officer(request.user)
    rules = RuleSettings.objects.editable_by(request.user).select_related("county_office", "scheme")
    return render(request, "partnerships/rules_list.html", {"rules": rules})


def _rules_form(request, rules=None):
    form = RuleSettingsForm(
        request.POST or None,
        instance=rules,
        county_offices=managed_county_offices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The rules were saved."))
        return redirect("partnerships:rules_list")
    return render(request, "partnerships/rules_form.html", {"form": form, "rules": rules})


def rules_create(request):
    require_officer(request.user)
    return _rules_form(request)


def rules_edit(request, pk):
    return _rules_form(request, get_rule_settings_for_user(request, pk))
