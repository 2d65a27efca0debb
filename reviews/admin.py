from django.contrib import admin
from django.contrib.auth import get_user_model

from dz_awards.accounts.enums import REVIEWERS_GROUP
from reviews.models import (
    Criterion,
    LevelDescriptor,
    Panel,
    ReviewerProfile,
    ReviewPhase,
    Rubric,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "code", "name", "category", "weight"]
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["cycle", "scale_min", "scale_max"]
    list_select_related = ["cycle"]
    inlines = [CriterionInline]


class LevelDescriptorInline(admin.TabularInline):
    model = LevelDescriptor
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "rubric", "category", "weight", "position"]
    list_select_related = ["rubric__cycle", "category"]
    list_filter = ["rubric__cycle"]
    inlines = [LevelDescriptorInline]


@admin.register(ReviewPhase)
class ReviewPhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "cycle", "starts_at", "ends_at", "reviews_open", "blind", "show_others"]
    list_select_related = ["cycle"]
    list_filter = ["cycle"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["category"]
    list_select_related = ["category__cycle"]
    list_filter = ["category__cycle"]
    filter_horizontal = ["members"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = get_user_model().objects.filter(
                groups__name=REVIEWERS_GROUP, is_active=True
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "home_agency", "state"]
    list_select_related = ["user", "home_agency"]
    autocomplete_fields = ["home_agency"]
    search_fields = ["user__email", "user__full_name"]
