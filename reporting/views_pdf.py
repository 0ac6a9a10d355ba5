"""PDF downloads (need report, submitted versions, allocation letter), the allocation-letter
settings page and the bulk ZIP exports. Every report-level view goes through
`get_report_for_user` (404 for outsiders); officer pages through `require_officer`."""

from django import forms
from django.contrib import messages
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needs.access import get_report_for_user
from needs.forum import recommendation_reports
from needs.models import ForumRecommendation, NeedReport
from partnerships.access import managed_county_offices, require_officer
from partnerships.models import Scheme
from portal import downloads

from . import pdf, tasks
from .models import DEFAULT_CONDITIONS, ExportJob, LetterSettings

Status = NeedReport.Status


def _attachment(content, filename):
    return downloads.attach(HttpResponse(content, content_type="application/pdf"), filename)


def report_pdf(request, pk):
    """The report as it is now; a draft (or returned report) carries UTKAST."""
    report = get_report_for_user(request, pk)
    content, filename = pdf.current_report_pdf(report)
    return _attachment(content, filename)


def version_pdf(request, pk, number):
    """A submitted version: rendered once from its snapshot, then always the same bytes."""
    report = get_report_for_user(request, pk)
    # The snapshot (tens of kB of JSON) is read only if the PDF has to be rendered.
    version = get_object_or_404(report.versions.defer("snapshot"), number=number)
    version.report = report
    stored = pdf.stored_version_pdf(version)
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=pdf.version_filename(version),
        content_type="application/pdf",
    )
    response["ETag"] = f'"{stored.sha256}"'
    return response


def get_letter_report(request, pk):
    """Allocated: everyone who sees the report. Before that, a preview (marked UTKAST) for
    those who may decide it: the workflow's "decide" (case officers, while it is sent)."""
    report = get_report_for_user(request, pk)
    if report.status == Status.ALLOCATED or report.allows("decide", request.user):
        return report
    raise Http404("No allocation letter for this report.")


def allocation_letter(request, pk):
    report = get_letter_report(request, pk)
    settings = LetterSettings.for_letter(
        report.partnership.region.county_office_id, report.scheme_id, report.year
    )
    return _attachment(pdf.render_allocation_letter(report, settings), pdf.letter_filename(report))


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = ["conditions", "case_number", "signer_name", "signer_title"]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "conditions": gettext_lazy(
                "Shown in every allocation letter for this county, scheme and year."
            )
        }


def letter_settings(request, office_pk, scheme_code, year):
    require_officer(request.user)
    office = get_object_or_404(managed_county_offices(request.user), pk=office_pk)
    scheme = get_object_or_404(Scheme, code=scheme_code)
    if not 2000 <= year <= 2100:
        raise Http404("No such year.")
    settings = LetterSettings.for_letter(office.pk, scheme.pk, year)
    if not settings.conditions:
        settings.conditions = str(DEFAULT_CONDITIONS)
    form = LetterSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, _("The allocation letter text was saved."))
        return redirect(request.path)
    context = {"form": form, "office": office, "scheme": scheme, "year": year}
    return render(request, "reporting/letter_settings.html", context)


class ExportForm(forms.Form):
    county_office = forms.ModelChoiceField(
        queryset=None, empty_label=None, label=gettext_lazy("County office")
    )
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.all(), empty_label=None, label=gettext_lazy("Scheme")
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, county_offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county_office"].queryset = county_offices

    def clean(self):
        """An empty ZIP is not worth ordering: at least one submitted report must be in it."""
        cleaned = super().clean()
        office, scheme, year = (cleaned.get(k) for k in ("county_office", "scheme", "year"))
        if office and scheme and year:
            job = ExportJob(county_office=office, scheme=scheme, year=year)
            if not tasks.export_reports(job):
                raise forms.ValidationError(
                    _(
                        "No need report of %(scheme)s %(year)s has been submitted to %(office)s "
                        "yet: there is nothing to export."
                    )
                    % {"scheme": scheme.short_name, "year": year, "office": office.name}
                )
        return cleaned


def pdf_exports(request):
    """Start a bulk export (county, scheme, year) and follow the progress of earlier ones."""
    require_officer(request.user)
    offices = managed_county_offices(request.user)
    form = ExportForm(
        request.POST or None, county_offices=offices, initial=_initial(request, offices)
    )
    if request.method == "POST" and form.is_valid():
        job, created = tasks.export_request(**form.cleaned_data, user=request.user)
        if created:
            messages.success(request, _("The export was started. It appears below when ready."))
        else:
            messages.info(request, _("This export is already under way. Follow it below."))
        return redirect("reporting:pdf_exports")
    jobs = list(
        ExportJob.objects.visible_to(request.user).select_related(
            "county_office", "scheme", "requested_by"
        )[:30]
    )
    context = {"form": form, "jobs": jobs, "refresh": any(job.is_active for job in jobs)}
    return render(request, "reporting/pdf_exports.html", context)


def _initial(request, offices):
    """Prefilled from the report page's link; else the latest year with reports."""
    initial = {key: request.GET[key] for key in ("county_office", "year") if key in request.GET}
    if "scheme" in request.GET:
        initial["scheme"] = Scheme.objects.filter(code=request.GET["scheme"]).first()
    if request.method == "GET" and "year" not in initial:
        initial["year"] = (
            NeedReport.objects.reviewable_by(request.user)
            .filter(partnership__region__county_office__in=offices)
            .aggregate(latest=Max("year"))["latest"]
        )
    return initial


def pdf_export_download(request, pk):
    require_officer(request.user)
    job = get_object_or_404(
        ExportJob.objects.visible_to(request.user)
        .filter(status=ExportJob.Status.DONE)
        .select_related("scheme"),
        pk=pk,
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type="application/zip",
    )


def recommendation_pdf(request, office_pk, scheme_code, year):
    """The forum's recommendation as recorded: its county's case officers and forum members."""
    recommendation = get_object_or_404(
        ForumRecommendation.objects.visible_to(request.user).select_related(
            "county_office", "scheme"
        ),
        county_office_id=office_pk,
        scheme__code=scheme_code,
        year=year,
    )
    reports = list(
        recommendation_reports(recommendation.county_office, recommendation.scheme, year)
    )
    return _attachment(
        pdf.render_recommendation(recommendation, reports),
        pdf.recommendation_filename(recommendation),
    )
