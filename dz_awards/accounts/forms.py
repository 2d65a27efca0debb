from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms

from dz_awards.accounts.services import account_set_password


def _helper(submit_label, *, action=""):
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    helper.add_input(Submit("submit", submit_label))
    return helper


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        help_text="Optional. For example: Training Sergeant, Wellness Coordinator.",
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a link to this address to confirm it and set your password.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Create account")

    def clean_full_name(self):
        # Line breaks and tabs would reach email greetings and page headings as typed.
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_job_title(self):
        return " ".join(self.cleaned_data["job_title"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        # One message for unknown address, wrong password and unverified account alike.
        "invalid_login": "That email address and password do not match an account. "
        "Check both and try again, or reset your password.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = _helper("Sign in")


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Email me a link")


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Sets the password from an emailed link, which also verifies the address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Set password and sign in")

    def save(self, commit=True):
        return account_set_password(user=self.user, password=self.cleaned_data["new_password1"])


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Change password")


class TwoFactorCodeForm(forms.Form):
    """The six-digit code an authenticator app shows (spaces allowed, as apps display them)."""

    code = forms.CharField(
        label="6-digit code",
        max_length=20,
        help_text="The code your authenticator app shows for Destination Zero Awards now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit_label="Continue", action="", autofocus=False, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True
        self.helper = _helper(submit_label, action=action)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")
        return code


class SignInCodeForm(forms.Form):
    """The second step of signing in: a code from the app, or one of the person's backup codes."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows now, "
        "or one of your backup codes (8 letters and digits).",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit_label="Continue", autofocus=True, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True
        self.helper = _helper(submit_label)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        app_code = len(code) == 6 and code.isdigit()
        backup_code = 8 <= len(code) <= 16 and code.isalnum()
        if not code.isascii() or not (app_code or backup_code):
            raise forms.ValidationError(
                "Enter the 6 digits your authenticator app shows, or one of your backup codes."
            )
        return code.lower()


class TwoFactorResetForm(forms.Form):
    """Why a colleague's two-factor sign-in is reset: kept in the audit trail."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: lost phone, confirmed by a call to their desk number. "
        "Kept in the audit trail.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Reset two-factor sign-in")

    def clean_reason(self):
        # Required already refuses a blank reason; line breaks would reach the trail as typed.
        return " ".join(self.cleaned_data["reason"].split())
