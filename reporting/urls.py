from django.urls import include, path

app_name = "reporting"

# PDFs and spreadsheets/statistics live in separate modules so they can grow apart.
urlpatterns = [
    path("", include("reporting.urls_pdf")),
    path("", include("reporting.urls_sheets")),
    path("", include("reporting.urls_annual")),
    path("", include("reporting.urls_deadlines")),
]
