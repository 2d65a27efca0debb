"""The admin of review settings: rubrics and criteria, phases, panels, reviewer profiles.

A rubric is frozen once any review of its cycle exists (see
`reviews.services.rubrics`): its page, its criteria and their levels then
become read-only here, and every change the admin saves goes through the
rubric services, which refuse it too.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from dz_awards.accounts.enums import REVIEWERS_GROUP
from reviews import selectors, services
from reviews.models import (
    Criterion,
    LevelDescriptor,
    Panel,
    ReviewerProfile,
    ReviewPhase,
    Rubric,
)


def _frozen(rubric):
    return rubric is not None and rubric.pk is not None and selectors.rubric_is_frozen(rubric)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "code", "name", "category", "weight"]
    show_change_link = True

    # `obj` is the rubric whose page shows the inline.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["cycle", "scale_min", "scale_max"]
    list_select_related = ["cycle"]
    inlines = [CriterionInline]
    # Deleting goes one rubric at a time, through its page (and its permission check).
    actions = None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)

    def save_model(self, request, obj, form, change):
        services.rubric_save(actor=request.user, rubric=obj)

    def delete_model(self, request, obj):
        services.rubric_delete(actor=request.user, rubric=obj)

    def save_formset(self, request, form, formset, change):
        criteria = formset.save(commit=False)
        for criterion in formset.deleted_objects:
            services.criterion_delete(actor=request.user, criterion=criterion)
        for criterion in criteria:
            services.criterion_save(actor=request.user, criterion=criterion)
        formset.save_m2m()


class LevelDescriptorInline(admin.TabularInline):
    model = LevelDescriptor
    extra = 0

    # `obj` is the criterion whose page shows the inline.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _frozen(obj and obj.rubric)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj and obj.rubric)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj and obj.rubric)


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["rubric", "category", "code", "name", "description", "weight", "position"]

    def clean(self):
        cleaned = super().clean()
        rubric = cleaned.get("rubric")
        if _frozen(rubric):
            raise ValidationError(selectors.RUBRIC_FROZEN.format(cycle=rubric.cycle))
        return cleaned


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    form = CriterionAdminForm
    list_display = ["name", "rubric", "category", "weight", "position"]
    list_select_related = ["rubric__cycle", "category"]
    list_filter = ["rubric__cycle"]
    inlines = [LevelDescriptorInline]
    # Deleting goes one criterion at a time, through its page (and its permission check).
    actions = None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj and obj.rubric)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj and obj.rubric)

    def save_model(self, request, obj, form, change):
        services.criterion_save(actor=request.user, criterion=obj)

    def delete_model(self, request, obj):
        services.criterion_delete(actor=request.user, criterion=obj)

    def save_formset(self, request, form, formset, change):
        levels = formset.save(commit=False)
        for level in formset.deleted_objects:
            services.level_delete(actor=request.user, level=level)
        for level in levels:
            services.level_save(actor=request.user, level=level)
        formset.save_m2m()


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
