from django.contrib import admin

from dz_awards.cycles.models import Category, Cycle


class CategoryInline(admin.StackedInline):
    model = Category
    extra = 0
    fields = ["position", "code", "label", "description", "judging_focus", "winners"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "opens_at", "closes_at", "reviewers_per_nomination"]
    fields = [
        "name",
        "year",
        "opens_at",
        "closes_at",
        "reviewers_per_nomination",
        "max_assignments_per_reviewer",
        "conflict_same_state",
        "disagreement_threshold",
        "reviewers_need_two_factor",
    ]
    inlines = [CategoryInline]
    search_fields = ["name"]
