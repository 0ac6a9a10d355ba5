from django.urls import include, path

urlpatterns = [
    path("<int:report_pk>/measures/", include("measures.urls")),
]
