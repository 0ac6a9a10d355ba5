from django.urls import path

from . import views

# Included by portal/urls.py under /activity-plan/.
app_name = "plan"

urlpatterns = [
    path("", views.half_year, name="half_year"),
    path("month/", views.month, name="month"),
    path("pdf/", views.plan_pdf, name="pdf"),
    path("new/", views.activity_choose_partnership, name="choose"),
    path("partnerships/<int:partnership_pk>/new/", views.activity_create, name="create"),
    path(
        "partnerships/<int:pk>/calendar.ics",
        views.partnership_calendar,
        name="partnership_calendar",
    ),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("calendar-feed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
