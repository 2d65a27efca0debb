from django.urls import path

from dz_awards.accounts import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/sent/", views.RegisterSentView.as_view(), name="register-sent"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.LoginCodeView.as_view(), name="login-code"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two-factor"),
    path("two-factor/start/", views.TwoFactorStartView.as_view(), name="two-factor-start"),
    path("two-factor/confirm/", views.TwoFactorConfirmView.as_view(), name="two-factor-confirm"),
    path("two-factor/disable/", views.TwoFactorDisableView.as_view(), name="two-factor-disable"),
    path(
        "two-factor/backup-codes/",
        views.BackupCodesView.as_view(),
        name="two-factor-backup-codes",
    ),
    path("two-factor/verify/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
]
