from django.contrib import admin

from dz_awards.reviews.models import Criterion, LevelDescriptor, Rubric


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
