from django.urls import path, register_converter

from . import views_sheets as views


class SheetFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SheetFormat, "sheet")

urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("exports/need-reports.<sheet:fmt>", views.export_reports, name="export_reports"),
    path("exports/measures.<sheet:fmt>", views.export_measures, name="export_measures"),
    path("exports/allocations.<sheet:fmt>", views.export_allocations, name="export_allocations"),
    path("exports/payments.<sheet:fmt>", views.export_payments, name="export_payments"),
    path("reports/<int:pk>/measures.<sheet:fmt>", views.report_measures, name="report_measures"),
    path("reports/<int:pk>/import/", views.measure_import, name="measure_import"),
    path(
        "reports/<int:pk>/import/confirm/",
        views.measure_import_confirm,
        name="measure_import_confirm",
    ),
    path(
        "import/measures-template.<sheet:fmt>",
        views.measure_import_template,
        name="measure_import_template",
    ),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
]
