"""The staff nomination list's filters: the nominations app's, plus the review flags."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from dz_awards.nominations.filters import StaffNominationFilter
from dz_awards.nominations.models import Nomination

# Flag value -> the boolean annotation of `reviews.selectors.staff_nomination_table`.
FLAGS = {
    "identity": "has_identity_finding",
    "disagreement": "has_disagreement",
    "overdue": "has_overdue",
}
FLAG_CHOICES = [
    ("identity", "Identity found in the review copy"),
    ("disagreement", "Reviewers disagree"),
    ("overdue", "A review is overdue"),
]


class StaffNominationTableFilter(StaffNominationFilter):
    """Filters of the staff list. Run it on `staff_nomination_table`'s queryset, which
    carries the flags; ticking several flags lists nominations that have them all."""

    flag = django_filters.MultipleChoiceFilter(
        method="filter_flags",
        label="Flags",
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(StaffNominationFilter.Meta):
        fields = [*StaffNominationFilter.Meta.fields, "flag"]

    def filter_flags(self, queryset: QuerySet[Nomination], name: str, value: list[str]) -> Any:
        return queryset.filter(**{FLAGS[flag]: True for flag in value})
