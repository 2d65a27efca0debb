"""Agencies in the admin: profile corrections and membership corrections, each through
a service that records who changed what. Verification and join decisions happen on
the staff pages, where they are audited and emailed."""

from django.contrib import admin

from dz_awards.agencies import services
from dz_awards.agencies.forms import AgencyForm
from dz_awards.agencies.models import Agency, Membership


class MembershipInline(admin.TabularInline):
    """Role and status only, saved through `services.membership_correct` (audited).

    No rows are added or deleted here: people ask to join on the site, and a
    membership's history stays with it.
    """

    model = Membership
    extra = 0
    can_delete = False
    fields = ["user", "role", "status", "requested_at", "decided_at", "decided_by"]
    readonly_fields = ["user", "requested_at", "decided_at", "decided_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """Profile corrections only, through `services.agency_update` (audited).

    Agencies are created on the site by their people, who become their owners,
    and are never deleted here: their nominations and audit trail refer to them.
    """

    # The agency's own form: the same fields and checks (ORI, name) as the site's pages.
    form = AgencyForm
    list_display = ["name", "city", "state", "agency_type", "sworn_officers", "verified_at"]
    list_filter = ["agency_type", "state"]
    search_fields = ["name", "city", "ori"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "created_by"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.agency_update(user=request.user, agency=obj, **form.cleaned_data)

    def save_formset(self, request, form, formset, change):
        # commit=False fills in what the admin's change message reads, and saves nothing.
        formset.save(commit=False)
        for membership, _changed in formset.changed_objects:
            services.membership_correct(
                actor=request.user,
                membership=membership,
                role=membership.role,
                status=membership.status,
            )
