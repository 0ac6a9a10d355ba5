from django.urls import path

from . import views, views_forum

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("organisations/import/", views.organisation_import, name="organisation_import"),
    path(
        "organisations/import/confirm/",
        views.organisation_import_confirm,
        name="organisation_import_confirm",
    ),
    path(
        "organisations/import/template.csv",
        views.organisation_import_template,
        name="organisation_import_template",
    ),
    path(
        "organisations/import/template.xlsx",
        views.organisation_import_template,
        {"fmt": "xlsx"},
        name="organisation_import_template_xlsx",
    ),
    path("ties/", views_forum.tie_list, name="ties"),
    path("ties/<int:pk>/delete/", views_forum.tie_delete, name="tie_delete"),
    path("rules/", views.rules_list, name="rules_list"),
    path("rules/new/", views.rules_create, name="rules_create"),
    path("rules/<int:pk>/", views.rules_edit, name="rules_edit"),
]
