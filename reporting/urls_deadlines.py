from django.urls import path

from . import views_deadlines

# Included by reporting/urls.py under /reporting/ (app_name "reporting").
urlpatterns = [
    path("deadlines/", views_deadlines.deadlines, name="deadlines"),
]
