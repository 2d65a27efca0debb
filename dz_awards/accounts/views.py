from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, TemplateView

from dz_awards.accounts import forms
from dz_awards.accounts.tasks import process_password_reset, process_registration
from dz_awards.accounts.tokens import set_password_token


class RegisterView(FormView):
    template_name = "accounts/public/register.html"
    form_class = forms.RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("core:after-login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Queued, not done here: the same work, time and page whether the
        # address is new, unverified or known.
        process_registration.enqueue(
            form.cleaned_data["email"],
            form.cleaned_data["full_name"],
            form.cleaned_data["job_title"],
        )
        return redirect("accounts:register-sent")


class RegisterSentView(TemplateView):
    template_name = "accounts/public/register_sent.html"


class LoginView(auth_views.LoginView):
    template_name = "accounts/public/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are signed out.")
        # Unsaved draft text kept in the browser goes with the session: the next
        # person at a shared computer must not be offered it.
        response["Clear-Site-Data"] = '"storage"'
        return response


class PasswordResetView(FormView):
    template_name = "accounts/public/password_reset.html"
    form_class = forms.PasswordResetRequestForm

    def form_valid(self, form):
        process_password_reset.enqueue(form.cleaned_data["email"])
        return redirect("accounts:password-reset-sent")


class PasswordResetSentView(TemplateView):
    template_name = "accounts/public/password_reset_sent.html"


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The emailed link: verifies the address, sets the password, signs the person in."""

    template_name = "accounts/public/set_password.html"
    form_class = forms.SetPasswordForm
    token_generator = set_password_token
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:after-login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set and your email address confirmed.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/account/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("core:after-login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response
