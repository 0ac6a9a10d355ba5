from django.urls import path

import portal.params  # noqa: F401 - registers the <year:...> converter

from . import views_pdf as views

# Included by reporting/urls.py under /reporting/ (app_name "reporting").
# /reporting/exports/ itself is the spreadsheet page; the PDF bundles live below it.
urlpatterns = [
    path("needs/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("needs/<int:pk>/versions/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("needs/<int:pk>/letter/", views.allocation_letter, name="allocation_letter"),
    path(
        "letters/<int:office_pk>/<slug:scheme_code>/<year:year>/",
        views.letter_settings,
        name="letter_settings",
    ),
    path(
        "forum/<int:office_pk>/<slug:scheme_code>/<year:year>/pdf/",
        views.recommendation_pdf,
        name="recommendation_pdf",
    ),
    path("exports/pdf/", views.pdf_exports, name="pdf_exports"),
    path("exports/pdf/<int:pk>/download/", views.pdf_export_download, name="pdf_export_download"),
]
