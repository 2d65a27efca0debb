"""The public directory's filters, keyword search and sort, all in the URL (GET).

`ProfileFilter(request.GET, queryset=selectors.directory_profiles())` narrows
published profiles; `.qs` is filtered, searched and ordered. The choices that
depend on what is published (categories, years, states, topics), with their
counts, are computed once per library version (`library.filter_choices`).
"""

import django_filters
from django import forms

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles import library, selectors
from dz_awards.profiles.enums import SIZE_BAND_RANGES, Award, SizeBand
from dz_awards.profiles.models import Profile


class Sort:
    """The sorts. Blank (the default) is relevance with keywords, newest without.

    The form always sends the sort with the keywords, so a blank default (not
    "newest") lets a search typed on the unsorted directory come back ranked.
    `?sort=relevance` is accepted as the blank default.
    """

    RELEVANCE = "relevance"
    NEWEST = "newest"
    AGENCY = "agency"

    DEFAULT_LABEL = "Relevance (newest first without keywords)"
    CHOICES = [(NEWEST, "Newest first"), (AGENCY, "Agency name, A to Z")]


ORDERINGS = {
    Sort.RELEVANCE: ("-rank", "-year", "-published_at", "pk"),
    Sort.NEWEST: ("-year", "-published_at", "title", "pk"),
    Sort.AGENCY: ("agency_name", "-year", "title", "pk"),
}


class ProfileFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Keywords",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = django_filters.ChoiceFilter(
        field_name="category_code", label="Category", empty_label="All categories"
    )
    year = django_filters.ChoiceFilter(
        field_name="year", label="Award year", empty_label="All years"
    )
    award = django_filters.ChoiceFilter(
        choices=Award.choices, label="Award", empty_label="Winners and finalists"
    )
    state = django_filters.ChoiceFilter(
        field_name="state_code", label="State", empty_label="All states and territories"
    )
    agency_type = django_filters.ChoiceFilter(
        choices=AgencyType.choices, label="Agency type", empty_label="All types"
    )
    size = django_filters.ChoiceFilter(
        method="filter_size",
        choices=SizeBand.choices,
        label="Agency size",
        empty_label="All sizes",
    )
    topic = django_filters.ChoiceFilter(
        field_name="topics__slug", label="Topic", empty_label="All topics"
    )
    sort = django_filters.ChoiceFilter(
        method="filter_sort", choices=Sort.CHOICES, label="Sort by", empty_label=Sort.DEFAULT_LABEL
    )

    class Meta:
        model = Profile
        fields = ["q", "category", "year", "award", "state", "agency_type", "size", "topic"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("sort") == Sort.RELEVANCE:
            data = data.copy()
            data["sort"] = ""
        super().__init__(data, *args, **kwargs)
        # Computed once per library version (see `library.filter_choices`), not per request.
        choices = library.filter_choices()
        self.choice_counts = choices.counts
        self.filters["category"].extra["choices"] = choices.categories
        self.filters["year"].extra["choices"] = choices.years
        self.filters["state"].extra["choices"] = choices.states
        self.filters["topic"].extra["choices"] = choices.topics

    def cleaned(self, name):
        """The valid value of one field (an invalid field is ignored, not fatal)."""
        if not self.is_bound:
            return None
        self.form.is_valid()
        return self.form.cleaned_data.get(name)

    def dropped(self) -> list[dict[str, str]]:
        """[{"name", "label", "value"}] of each value in the query that is not valid
        (an unknown state, a year with nothing published...), which `.qs` ignores:
        the page names them, so a filter is never dropped silently."""
        if not self.is_bound or self.form.is_valid():
            return []
        return [
            {
                "name": name,
                "label": str(self.form.fields[name].label or name),
                "value": ", ".join(self.data.getlist(name))[:100],
            }
            for name in self.form.fields
            if name in self.form.errors
        ]

    @property
    def keywords(self):
        return " ".join((self.cleaned("q") or "").split())

    @property
    def sort_key(self):
        """The sort in effect: relevance needs keywords; without them, newest."""
        chosen = self.cleaned("sort")
        if chosen in (Sort.NEWEST, Sort.AGENCY):
            return chosen
        return Sort.RELEVANCE if self.keywords else Sort.NEWEST

    def filter_q(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_size(self, queryset, name, value):
        low, high = SIZE_BAND_RANGES[SizeBand(value)]
        queryset = queryset.filter(sworn_officers__gte=low)
        return queryset if high is None else queryset.filter(sworn_officers__lte=high)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*ORDERINGS[self.sort_key])
