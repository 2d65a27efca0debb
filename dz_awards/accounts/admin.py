from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse

from dz_awards.accounts.models import User
from dz_awards.accounts.services import account_audit_roles


def admin_login(request, extra_context=None):
    """The admin's own sign-in form would skip the two-factor code: use the site's sign-in."""
    if request.user.is_authenticated:
        # Signed in but not allowed in the admin: for them it does not exist (and
        # sending them to the sign-in page would bounce straight back here).
        raise Http404
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url="accounts:login"
    )


def admin_has_permission(request):
    """Staff who have given the second factor in this session, like django-otp's OTPAdminSite.

    `accounts.middleware` already sends everyone else to enrolment or the code
    page first; this keeps the admin closed should that ever be bypassed.
    """
    return AdminSite.has_permission(admin.site, request) and request.user.is_verified()


admin.site.login = admin_login
admin.site.has_permission = admin_has_permission


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "email_verified_at"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "email_verified_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title"]}),
        ("Roles", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "email_verified_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The roles are saved now (groups last, with the related objects): record who
        # changed which, from what to what. The form's initial values are as stored.
        if change:
            account_audit_roles(
                actor=request.user,
                user=form.instance,
                changes={
                    name: (form.initial.get(name), form.cleaned_data.get(name))
                    for name in form.changed_data
                },
            )
