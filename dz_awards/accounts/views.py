import time

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from dz_awards.accounts import forms, two_factor
from dz_awards.accounts.middleware import second_factor_redirect
from dz_awards.accounts.rules import is_offered_two_factor
from dz_awards.accounts.tasks import process_password_reset, process_registration
from dz_awards.accounts.tokens import set_password_token
from dz_awards.core.errors import refuse
from dz_awards.core.limits import rate_limit


@method_decorator(rate_limit("registration"), name="dispatch")
class RegisterView(FormView):
    template_name = "accounts/public/register.html"
    form_class = forms.RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:after-login")
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


# A password accepted for someone with two-factor sign-in on waits in the
# session, not signed in, for this long and this many wrong codes.
PENDING_SIGN_IN_KEY = "two_factor_pending"
PENDING_SIGN_IN_SECONDS = 5 * 60
MAX_WRONG_CODES = 5


def _pending_sign_in_start(request, user, next_url):
    # A new key, as at sign-in itself: nobody holding the old cookie shares this step.
    request.session.cycle_key()
    request.session[PENDING_SIGN_IN_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "auth_hash": user.get_session_auth_hash(),
        "next": next_url,
        "expires": time.time() + PENDING_SIGN_IN_SECONDS,
        "wrong": 0,
    }


def _pending_sign_in_drop(request):
    request.session.pop(PENDING_SIGN_IN_KEY, None)


def _pending_sign_in(request):
    """(user, pending) while a password awaits its code; (None, None) otherwise.

    Expired, deactivated or password changed since: the pending sign-in is dropped.
    """
    pending = request.session.get(PENDING_SIGN_IN_KEY)
    if not isinstance(pending, dict):
        return None, None
    user = (
        get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
        if pending.get("expires", 0) > time.time()
        else None
    )
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), pending.get("auth_hash", "")
    ):
        _pending_sign_in_drop(request)
        return None, None
    return user, pending


@method_decorator(rate_limit("login", only_refusals=True), name="dispatch")
class LoginView(auth_views.LoginView):
    """Sign in with email and password; then a code, for people with two-factor sign-in on."""

    template_name = "accounts/public/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.confirmed_device(user) is None:
            return super().form_valid(form)
        _pending_sign_in_start(self.request, user, self.get_redirect_url())
        return redirect("accounts:login-code")


@method_decorator(never_cache, name="dispatch")
class LoginCodeView(FormView):
    """Second step of signing in: the code from the person's authenticator app."""

    template_name = "accounts/account/two_factor_login.html"
    form_class = forms.SignInCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("portal:after-login")
        self.pending_user, self.pending = _pending_sign_in(request)
        if self.pending_user is None:
            messages.error(request, "Your sign-in has expired. Sign in again.")
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": "Sign in"}

    def form_valid(self, form):
        try:
            device = two_factor.two_factor_verify(
                user=self.pending_user, code=form.cleaned_data["code"]
            )
        except two_factor.WrongCodeError as error:
            return self._wrong_code(form, error)
        except two_factor.TooManyCodesError as error:
            form.add_error("code", str(error))
            return self.form_invalid(form)
        except two_factor.TwoFactorError as error:
            _pending_sign_in_drop(self.request)
            refuse(self.request, error)
            return redirect("accounts:login")
        _pending_sign_in_drop(self.request)
        auth_login(self.request, self.pending_user, backend=self.pending["backend"])
        django_otp.login(self.request, device)
        _say_if_backup_code(self.request, device)
        next_url = self.pending.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        return redirect(next_url)

    def _wrong_code(self, form, error):
        wrong = self.pending.get("wrong", 0) + 1
        if wrong >= MAX_WRONG_CODES:
            _pending_sign_in_drop(self.request)
            messages.error(
                self.request,
                f"The code was wrong {MAX_WRONG_CODES} times. "
                "Sign in again with your email address and password.",
            )
            return redirect("accounts:login")
        self.request.session[PENDING_SIGN_IN_KEY] = {**self.pending, "wrong": wrong}
        left = MAX_WRONG_CODES - wrong
        form.add_error("code", f"{error} {left} {'try' if left == 1 else 'tries'} left.")
        return self.form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are signed out.")
        # Unsaved draft text kept in the browser goes with the session: the next
        # person at a shared computer must not be offered it.
        response["Clear-Site-Data"] = '"storage"'
        return response


@method_decorator(rate_limit("password_reset"), name="dispatch")
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
    success_url = reverse_lazy("portal:after-login")

    def form_valid(self, form):
        if two_factor.confirmed_device(self.user) is not None:
            # The emailed link proves the address, not the second factor: sign in as usual.
            self.post_reset_login = False
            self.success_url = reverse("accounts:login")
            response = super().form_valid(form)
            messages.success(
                self.request,
                "Your password is set. Sign in with it and a code from your authenticator app.",
            )
            return response
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set and your email address confirmed.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/account/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("portal:after-login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


# Backup codes just made wait here until the page that shows them (once) is opened.
NEW_BACKUP_CODES_KEY = "two_factor_new_backup_codes"


def _say_if_backup_code(request, device):
    """After a backup code: say how many are left, and how to stop needing them."""
    if not two_factor.is_backup_code_device(device):
        return
    left = two_factor.backup_codes_left(request.user)
    messages.warning(
        request,
        f"You used a backup code; it will not work again. {left} "
        f"{'is' if left == 1 else 'are'} left. If you lost your phone, set up a new device "
        "on your two-factor sign-in page.",
    )


def _safe_next(request, default="portal:after-login"):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(default)


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(LoginRequiredMixin, TemplateView):
    """Two-factor sign-in: set it up, see backup codes left, replace the device, turn it off.

    Program staff must have it (enrolment on first sign-in; never turned off);
    reviewers may. Others get 404, except someone who has it on, who keeps the
    page to turn it off. With a device, changes need a session that gave its
    second factor: a password alone must not replace the device.
    """

    template_name = "accounts/account/two_factor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = two_factor.confirmed_device(request.user)
            self.required = two_factor.two_factor_required_for(request.user)
            if self.device is None and not (self.required or is_offered_two_factor(request.user)):
                raise Http404
            if self.device is not None and (gate := second_factor_redirect(request)):
                return gate
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        setup = two_factor.unconfirmed_device(self.request.user)
        context.update(device=self.device, setup=setup, required=self.required)
        if self.device:
            left = two_factor.backup_codes_left(self.request.user)
            context.update(
                backup_codes_left=left, backup_codes_low=left <= two_factor.BACKUP_CODES_LOW
            )
            if not self.required:
                context.setdefault("disable_form", self._code_form("disable"))
        if setup:
            context.update(
                secret=two_factor.grouped_secret(setup),
                qr_svg=two_factor.qr_svg(setup),
                config_url=setup.config_url,
            )
            context.setdefault("confirm_form", self._code_form("confirm"))
        return context

    def _code_form(self, action, data=None):
        labels = {
            "confirm": "Turn on two-factor sign-in" if not self.device else "Use the new device",
            "disable": "Turn off two-factor sign-in",
        }
        return forms.TwoFactorCodeForm(
            data,
            submit_label=labels[action],
            action=reverse(f"accounts:two-factor-{action}"),
            prefix=action,
        )

    def _page(self, **forms_):
        return self.render_to_response(self.get_context_data(**forms_))


class TwoFactorStartView(TwoFactorView):
    """Make a set-up key: the first device, or (with `replace`) a new phone's."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            two_factor.two_factor_start(
                user=request.user, replace=bool(request.POST.get("replace"))
            )
        except two_factor.TwoFactorError as error:
            refuse(request, error)
        return redirect("accounts:two-factor")


class TwoFactorConfirmView(TwoFactorView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self._code_form("confirm", request.POST)
        if not form.is_valid():
            return self._page(confirm_form=form)
        try:
            device, codes = two_factor.two_factor_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except two_factor.CODE_REFUSALS as error:
            form.add_error("code", str(error))
            return self._page(confirm_form=form)
        except two_factor.TwoFactorError as error:
            refuse(request, error)
            return redirect("accounts:two-factor")
        # This browser has just shown the second factor.
        django_otp.login(request, device)
        if self.device is not None:
            messages.success(
                request, "Your new device is in use. Codes from the old one no longer work."
            )
            return redirect("accounts:two-factor")
        messages.success(
            request,
            "Two-factor sign-in is on. From now on, signing in also asks for a code from your app.",
        )
        request.session[NEW_BACKUP_CODES_KEY] = codes
        return redirect("accounts:two-factor-backup-codes")


class TwoFactorDisableView(TwoFactorView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self._code_form("disable", request.POST)
        if not form.is_valid():
            return self._page(disable_form=form)
        try:
            two_factor.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
        except two_factor.CODE_REFUSALS as error:
            form.add_error("code", str(error))
            return self._page(disable_form=form)
        except two_factor.TwoFactorError as error:
            refuse(request, error)
            return redirect("accounts:two-factor")
        messages.success(
            request, "Two-factor sign-in is off. Signing in asks only for your password."
        )
        return redirect("accounts:two-factor")


@method_decorator(never_cache, name="dispatch")
class BackupCodesView(LoginRequiredMixin, TemplateView):
    """New backup codes, shown once (GET); POST makes new ones, and the old ones stop working."""

    template_name = "accounts/account/two_factor_backup_codes.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if two_factor.confirmed_device(request.user) is None:
                return redirect("accounts:two-factor")
            if gate := second_factor_redirect(request):
                return gate
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(NEW_BACKUP_CODES_KEY, None)
        if not codes:
            messages.info(
                request,
                "Backup codes are shown only once. If you did not keep them, make new ones.",
            )
            return redirect("accounts:two-factor")
        return self.render_to_response(self.get_context_data(codes=codes))

    def post(self, request, *args, **kwargs):
        codes = two_factor.two_factor_backup_codes_generate(user=request.user)
        request.session[NEW_BACKUP_CODES_KEY] = codes
        messages.success(request, "New backup codes are ready. The old ones no longer work.")
        return redirect("accounts:two-factor-backup-codes")


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The code (or a backup code) of a signed-in person whose session has not given one yet.

    Program staff reach it from any page until they give it (see
    `accounts.middleware`); so do reviewers of a cycle that requires it.
    """

    template_name = "accounts/account/two_factor_verify.html"
    form_class = forms.SignInCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_verified():
                return redirect(_safe_next(request))
            if two_factor.confirmed_device(request.user) is None:
                return redirect("accounts:two-factor")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": "Continue"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_safe_next(self.request), **kwargs)

    def form_valid(self, form):
        try:
            device = two_factor.two_factor_verify(
                user=self.request.user, code=form.cleaned_data["code"]
            )
        except two_factor.CODE_REFUSALS as error:
            form.add_error("code", str(error))
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        _say_if_backup_code(self.request, device)
        return redirect(_safe_next(self.request))
