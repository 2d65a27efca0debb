"""Filters of the program staff nomination list, on what the nominations app knows.

The reviews app extends `StaffNominationFilter` with the review flags (identity
finding, disagreement, overdue), which only it can compute; the list page lives
there for that reason.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from dz_awards.agencies.enums import USState
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import STAFF_VISIBLE_STATES, NominationState
from dz_awards.nominations.models import Nomination

VERIFIED_CHOICES = [("yes", "Verified"), ("no", "Not verified yet")]


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
    # The parameter keeps its short name (`state`, linked from the staff home); the label
    # says what it is, the nomination's place in the workflow, not the agency's US state.
    state = django_filters.ChoiceFilter(
        label="Workflow status",
        choices=[c for c in NominationState.choices if c[0] in STAFF_VISIBLE_STATES],
        empty_label="Every status",
    )
    agency_state = django_filters.ChoiceFilter(
        field_name="agency__state",
        label="Agency's state",
        choices=USState.choices,
        empty_label="Every state",
    )
    verified = django_filters.ChoiceFilter(
        method="filter_verified",
        label="Agency verified",
        choices=VERIFIED_CHOICES,
        empty_label="Verified or not",
    )

    class Meta:
        model = Nomination
        fields = ["q", "cycle", "category", "state", "agency_state", "verified"]

    def filter_q(self, queryset: QuerySet[Nomination], name: str, value: str) -> Any:
        return queryset.filter(Q(title__icontains=value) | Q(agency__name__icontains=value))

    def filter_verified(self, queryset: QuerySet[Nomination], name: str, value: str) -> Any:
        return queryset.filter(agency__verified_at__isnull=value != "yes")
