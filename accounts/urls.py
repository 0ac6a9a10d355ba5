from django.urls import path

from . import views, views_invitations, views_local

app_name = "accounts"

urlpatterns = [
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("oidc/<slug:provider>/", views.oidc_start, name="oidc_start"),
    path("second-factor/", views_local.otp_verify, name="otp_verify"),
    path("second-factor/new/", views_local.otp_enrol, name="otp_enrol"),
    path("invitations/", views_invitations.invitation_list, name="invitations"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
