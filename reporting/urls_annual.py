from django.urls import path

import portal.params  # noqa: F401 - registers the <year:...> converter

from . import views_annual as views

# Included by reporting/urls.py under /reporting/ (app_name "reporting"). The annual report
# (rapport) hangs off its allocated need report: /reporting/needs/<need report id>/annual/.
urlpatterns = [
    path("annual/", views.annual_status, name="annual_status"),
    path("annual/export.xlsx", views.annual_export, name="annual_export"),
    path(
        "annual/deadline/<int:office_pk>/<year:year>/",
        views.annual_deadline,
        name="annual_deadline",
    ),
    path("needs/<int:pk>/annual/", views.annual_detail, name="annual_detail"),
    path("needs/<int:pk>/annual/start/", views.annual_start, name="annual_start"),
    path("needs/<int:pk>/annual/edit/", views.annual_edit, name="annual_edit"),
    path("needs/<int:pk>/annual/submit/", views.annual_submit, name="annual_submit"),
    path("needs/<int:pk>/annual/confirm/", views.annual_confirm, name="annual_confirm"),
    path("needs/<int:pk>/annual/review/", views.annual_review, name="annual_review"),
    path("needs/<int:pk>/annual/pdf/", views.annual_pdf, name="annual_pdf"),
    path(
        "needs/<int:pk>/annual/versions/<int:number>/pdf/",
        views.annual_version_pdf,
        name="annual_version_pdf",
    ),
]
