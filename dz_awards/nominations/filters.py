import django_filters
from django import forms
from django.db.models import Q

from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import STAFF_VISIBLE_STATES, NominationState
from dz_awards.nominations.models import Nomination


class StaffNominationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Title or agency",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    cycle = django_filters.ModelChoiceFilter(
        queryset=Cycle.objects.order_by("-year"), empty_label="Every year"
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.select_related("cycle").order_by("-cycle__year", "position"),
        empty_label="Every category",
    )
    state = django_filters.ChoiceFilter(
        choices=[c for c in NominationState.choices if c[0] in STAFF_VISIBLE_STATES],
        empty_label="Every state",
    )

    class Meta:
        model = Nomination
        fields = ["q", "cycle", "category", "state"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(agency__name__icontains=value))
