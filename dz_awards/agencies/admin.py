from django.contrib import admin

from dz_awards.agencies.models import Agency, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "status", "requested_at", "decided_at", "decided_by"]
    readonly_fields = ["requested_at", "decided_at", "decided_by"]
    raw_id_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """Profile corrections only; verification goes through the staff pages so it is audited."""

    list_display = ["name", "city", "state", "agency_type", "sworn_officers", "verified_at"]
    list_filter = ["agency_type", "state"]
    search_fields = ["name", "city", "ori"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "created_by"]
    inlines = [MembershipInline]
