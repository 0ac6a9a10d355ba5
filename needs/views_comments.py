"""Comments on need reports, their measures and their annual reports, and the UH confirmation
of the need report's UH part (the annual report's is reporting/views_annual.py)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures.models import Measure
from portal.access import get_visible_or_404
from portal.params import post_id
from portal.workflow import Refused

from .access import can_comment, can_confirm, get_report_for_user
from .collaboration import (
    comment_create,
    comment_delete,
    comment_edit,
    confirmation_request,
    uh_confirm,
)
from .forms import CommentForm
from .models import Comment, NeedReport
from .selectors import thread_of


def _back(request, subject, measure=None):
    """Back to where the comment was written: the measure's page or the report's thread."""
    target = request.POST.get("next", "")
    # Only a path of ours: a name would be reversed, a line break would break the header.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return redirect(target)
    return redirect(f"{(measure or subject).get_absolute_url()}#comments")


def _form_page(request, subject, form, *, measure=None, comment=None, status=200):
    """The comment form on its own page: to edit, or with why a comment was not posted."""
    return render(
        request,
        "needs/comment_form.html",
        {
            "report": thread_of(subject)["report"],
            "back_url": (measure or subject).get_absolute_url(),
            "comment_subject": "" if isinstance(subject, NeedReport) else "annual",
            "measure": measure,
            "form": form,
            "comment": comment,
            "next": request.POST.get("next"),
        },
        status=status,
    )


def _get_comment(request, pk, comment_pk):
    """The user's own comment (404 unless visible, 403 unless theirs) and its subject."""
    report = get_report_for_user(request, pk)
    comment = get_visible_or_404(
        Comment.objects.visible_to(request.user)
        .filter(report=report)
        .select_related("measure", "annual_report"),
        comment_pk,
        write=True,
        user=request.user,
    )
    return comment.annual_report or report, comment


@require_POST
def comment_add(request, pk):
    """A comment on a need report, one of its measures, or (subject=annual) its annual report."""
    report = get_report_for_user(request, pk)
    subject = report
    if request.POST.get("subject") == "annual":
        try:
            subject = report.annual_report  # its need report is `report`, already loaded
        except ObjectDoesNotExist:
            raise Http404("No annual report.") from None
    if not can_comment(request.user, subject):
        raise PermissionDenied
    measure = None
    measure_pk = post_id(request, "measure")
    if measure_pk and subject is report:
        measure = get_object_or_404(Measure, report=report, pk=measure_pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _form_page(request, subject, form, measure=measure, status=400)
    try:
        comment_create(
            subject=subject, user=request.user, text=form.cleaned_data["text"], measure=measure
        )
    except Refused as refused:
        form.add_error(None, str(refused))
        return _form_page(request, subject, form, measure=measure, status=409)
    messages.success(request, _("Your comment was posted."))
    return _back(request, subject, measure)


def comment_change(request, pk, comment_pk):
    subject, comment = _get_comment(request, pk, comment_pk)
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(comment=comment, user=request.user, text=form.cleaned_data["text"])
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your comment was changed."))
            return _back(request, subject, comment.measure)
    return _form_page(request, subject, form, measure=comment.measure, comment=comment)


@require_POST
def comment_remove(request, pk, comment_pk):
    subject, comment = _get_comment(request, pk, comment_pk)
    try:
        comment_delete(comment=comment, user=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your comment was deleted."))
    return _back(request, subject, comment.measure)


@require_POST
def confirm(request, pk):
    report = get_report_for_user(request, pk)
    if not can_confirm(request.user, report):
        raise PermissionDenied
    try:
        confirmation = uh_confirm(subject=report, user=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        if confirmation is None:
            messages.info(request, _("The UH part of this version is already confirmed."))
        else:
            messages.success(
                request,
                _("You confirmed that the UH has seen the need report and its part of it."),
            )
    return redirect(f"{report.get_absolute_url()}#confirmation")


@require_POST
def confirm_request(request, pk):
    """The coordinator asks the UH contact to confirm (the report's "Submit" waits for it)."""
    report = get_report_for_user(request, pk, write=True)
    try:
        sent = confirmation_request(report=report, user=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        if sent:
            messages.success(request, _("The UH contact was asked to confirm the UH part."))
        else:
            messages.warning(
                request,
                _("The partnership has no UH contact with an e-mail address to ask."),
            )
    return redirect(f"{report.get_absolute_url()}#confirmation")
