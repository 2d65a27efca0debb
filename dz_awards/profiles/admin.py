"""Profiles in the admin: topics are edited here; profiles are for looking only.

A profile's copy, media and lifecycle change only through the staff pages and
their services (with the audit trail and the two-person rule), never here.
"""

from django.contrib import admin

from dz_awards.profiles.models import Profile, ProfileImage, ProfileResource, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProfileImageInline(_ReadOnlyInline):
    model = ProfileImage
    fields = ["position", "alt_text", "caption", "width", "height"]


class ProfileResourceInline(_ReadOnlyInline):
    model = ProfileResource
    fields = ["position", "title", "url", "size"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["title", "agency_name", "state_code", "year", "award", "state", "version"]
    list_filter = ["state", "year", "award", "topics"]
    search_fields = ["title", "agency_name", "city"]
    # The copy and media are edited on the staff pages; the search vector is internal.
    exclude = ["search_vector"]
    inlines = [ProfileImageInline, ProfileResourceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
