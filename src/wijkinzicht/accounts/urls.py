from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("code/", views.verify, name="verify"),
    path("oidc/start/", oidc.start, name="oidc_start"),
    path("oidc/callback/", oidc.callback, name="oidc_callback"),
    path("tweestapsverificatie/", views.setup, name="setup"),
    path("herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("sleutels/<int:pk>/intrekken/", views.token_revoke, name="token_revoke"),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord-vergeten/", views.password_reset, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("wachtwoord-vergeten/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("wachtwoord-vergeten/klaar/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
]
