import django_filters
from django import forms
from django.db.models import Q

from dz_awards.agencies.enums import AgencyType, USState
from dz_awards.agencies.models import Agency


class AgencySearchFilter(django_filters.FilterSet):
    """Find an agency to join by name and state."""

    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        label="Agency name contains",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = django_filters.ChoiceFilter(
        choices=USState.choices, empty_label="Any state or territory"
    )

    class Meta:
        model = Agency
        fields = ["q", "state"]


class StaffAgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Name, city or ORI",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    verified = django_filters.ChoiceFilter(
        method="filter_verified",
        label="Verification",
        choices=[("no", "Not verified"), ("yes", "Verified")],
        empty_label="All agencies",
    )
    state = django_filters.ChoiceFilter(
        choices=USState.choices, empty_label="Any state or territory"
    )
    agency_type = django_filters.ChoiceFilter(
        choices=AgencyType.choices, empty_label="Any type", label="Type"
    )

    class Meta:
        model = Agency
        fields = ["q", "verified", "state", "agency_type"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(ori__iexact=value)
        )

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verified_at__isnull=(value == "no"))
