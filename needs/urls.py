from django.urls import path

import portal.params  # noqa: F401 - registers the <year:...> converter

from . import (
    views,
    views_allocation,
    views_change,
    views_comments,
    views_commitments,
    views_forum,
    views_review,
)

app_name = "needs"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/details/", views.report_edit, name="edit"),
    path("<int:pk>/summary/", views.report_summary_partial, name="summary"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/comments/", views_comments.comment_add, name="comment_add"),
    path(
        "<int:pk>/comments/<int:comment_pk>/edit/",
        views_comments.comment_change,
        name="comment_edit",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/delete/",
        views_comments.comment_remove,
        name="comment_delete",
    ),
    path("<int:pk>/confirm/", views_comments.confirm, name="confirm"),
    path("<int:pk>/confirm/request/", views_comments.confirm_request, name="confirm_request"),
    path("<int:pk>/review/", views_review.review_action, name="review_action"),
    path("review/", views_review.queue, name="queue"),
    path(
        "forum/<int:office_pk>/<slug:scheme_code>/<year:year>/",
        views_forum.recommendation,
        name="recommendation",
    ),
    path("<int:pk>/changes/new/", views_change.change_create_view, name="change_create"),
    path("changes/<int:pk>/", views_change.change_detail, name="change_request"),
    path("changes/<int:pk>/edit/", views_change.change_edit, name="change_edit"),
    path("changes/<int:pk>/act/", views_change.change_act, name="change_act"),
    path(
        "allocation/<int:office_pk>/<slug:scheme_code>/<year:year>/",
        views_allocation.allocation,
        name="allocation",
    ),
    path(
        "allocation/<int:office_pk>/<slug:scheme_code>/<year:year>/rescale/",
        views_allocation.rescale,
        name="rescale",
    ),
    path("commitments/<int:pk>/", views_commitments.commitment, name="commitment"),
]
