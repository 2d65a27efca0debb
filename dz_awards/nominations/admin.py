"""Nominations in the admin are for looking only: every change goes through the
services (and their audit trail) from the staff pages."""

from django.contrib import admin

from dz_awards.nominations.models import Evidence, Nomination, NominationRevision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "cycle", "category", "state", "submitted_at"]
    list_filter = ["state", "cycle"]
    list_select_related = ["agency", "cycle", "category"]
    search_fields = ["title", "agency__name"]


@admin.register(NominationRevision)
class NominationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["nomination", "number", "created_at", "created_by"]
    list_select_related = ["nomination", "created_by"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "nomination", "kind", "status", "size", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["nomination"]
    # The file itself is reached only through the permission-checked download view.
    exclude = ["file"]
