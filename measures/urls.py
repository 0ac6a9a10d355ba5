from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("new/", views.measure_create, name="create"),
    path("<int:pk>/", views.measure_edit, name="edit"),
    path("<int:pk>/delete/", views.measure_delete, name="delete"),
    path("<int:pk>/move/", views.measure_move, name="move"),
]
