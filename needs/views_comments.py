"""Comments on need reports and measures, and the UH confirmation of the UH part."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures.models import Measure
from portal.access import get_visible_or_404
from portal.workflow import Refused

from .access import can_comment, can_confirm, get_report_for_user
from .collaboration import comment_create, comment_delete, comment_edit, uh_confirm
from .forms import CommentForm
from .models import Comment


def _back(request, report, measure=None):
    """Back to where the comment was written: the measure's page or the report's thread."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    if measure is not None:
        return redirect(f"{measure.get_absolute_url()}#comments")
    return redirect(f"{report.get_absolute_url()}#comments")


def _get_comment(request, pk, comment_pk):
    report = get_report_for_user(request, pk)
    comment = get_visible_or_404(
        Comment.objects.visible_to(request.user).filter(report=report).select_related("measure"),
        comment_pk,
        write=True,
        user=request.user,
    )
    return report, comment


@require_POST
def comment_add(request, pk):
    report = get_report_for_user(request, pk)
    if not can_comment(request.user, report):
        raise PermissionDenied
    measure = None
    if request.POST.get("measure"):
        measure = get_object_or_404(Measure, report=report, pk=request.POST["measure"])
    form = CommentForm(request.POST)
    if not form.is_valid():
        # Keep what was typed: show it again with the message beside the field.
        return render(
            request,
            "needs/comment_form.html",
            {"report": report, "measure": measure, "form": form, "next": request.POST.get("next")},
            status=400,
        )
    try:
        comment_create(
            report=report, user=request.user, text=form.cleaned_data["text"], measure=measure
        )
    except Refused as refused:
        # Keep what was typed, with the reason it was not posted.
        form.add_error(None, str(refused))
        return render(
            request,
            "needs/comment_form.html",
            {"report": report, "measure": measure, "form": form, "next": request.POST.get("next")},
            status=409,
        )
    messages.success(request, _("Your comment was posted."))
    return _back(request, report, measure)


def comment_change(request, pk, comment_pk):
    report, comment = _get_comment(request, pk, comment_pk)
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        comment_edit(comment=comment, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment was changed."))
        return _back(request, report, comment.measure)
    return render(
        request,
        "needs/comment_form.html",
        {"report": report, "measure": comment.measure, "form": form, "comment": comment},
    )


@require_POST
def comment_remove(request, pk, comment_pk):
    report, comment = _get_comment(request, pk, comment_pk)
    comment_delete(comment=comment, user=request.user)
    messages.success(request, _("Your comment was deleted."))
    return _back(request, report, comment.measure)


@require_POST
def confirm(request, pk):
    report = get_report_for_user(request, pk)
    if not can_confirm(request.user, report):
        raise PermissionDenied
    try:
        confirmation = uh_confirm(report=report, user=request.user)
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
