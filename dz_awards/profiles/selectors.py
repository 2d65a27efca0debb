"""Reads of profiles.

The public reads only `published_profiles` (directly or through the helpers
below), so a profile that is not published, or was retracted, is absent from
every public page, file, feed and export at once. An agency reads its own
profiles through `profiles_for_member`; anything outside a scope is a 404.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.enums import MembershipStatus
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, Topic

# The Markdown fields searched as "body" (weight C on PostgreSQL, score 1 on SQLite).
BODY_FIELDS = ("need", "approach", "results", "durability", "replicability", "cost_funding")
# On SQLite each word is looked up on its own; a query of more words than this is cut.
FALLBACK_MAX_TERMS = 8


def published_profiles():
    return Profile.objects.filter(state=ProfileState.PUBLISHED)


def published_profile_get(slug):
    return get_object_or_404(published_profiles(), slug=slug)


def _images_in_order():
    return Prefetch("images", queryset=ProfileImage.objects.order_by("position", "pk"))


def directory_profiles():
    """Published profiles with what a directory row shows (topics, the first image)."""
    return published_profiles().prefetch_related("topics", _images_in_order())


def with_page_parts(queryset):
    """What the profile page shows: the PDF record, images, resources and topics."""
    return queryset.select_related("pdf").prefetch_related(
        _images_in_order(), "resources", "topics"
    )


def published_profile_for_page(slug):
    return get_object_or_404(with_page_parts(published_profiles()), slug=slug)


def published_profile_with_pdf(slug):
    return get_object_or_404(published_profiles().select_related("pdf"), slug=slug)


def profiles_for_member(user):
    """The profiles of the agencies `user` is an approved member of (any state)."""
    if not (user.is_authenticated and user.is_active):
        return Profile.objects.none()
    return Profile.objects.filter(
        agency__memberships__user=user,
        agency__memberships__status=MembershipStatus.APPROVED,
    )


def proof_get(user, pk):
    """The profile `pk` as its agency's member sees it for the proof; else 404."""
    return get_object_or_404(with_page_parts(profiles_for_member(user)), pk=pk)


def profiles_with_files_for(user):
    """Profiles whose images and resources `user` may fetch.

    Everyone: published ones. Signed in, also: the profiles of their own
    agencies (for the proof) and, for program staff, every profile (for the
    preview). The views serve the non-published ones privately, never cached.
    """
    published = Q(state=ProfileState.PUBLISHED)
    if not (user.is_authenticated and user.is_active):
        return Profile.objects.filter(published)
    if is_program_staff(user):
        return Profile.objects.all()
    return Profile.objects.filter(
        published
        | Q(
            pk__in=profiles_for_member(user).values("pk"),
        )
    )


def profile_for_files_get(user, slug):
    return get_object_or_404(profiles_with_files_for(user), slug=slug)


# --- Directory choices -------------------------------------------------------


def category_choices():
    """[(code, label)] of the categories with published profiles, by their latest label.

    A category may be renamed from one year to the next; the directory filters
    by its code and offers it under the name of its most recent year. Each
    profile still shows the name its category had in its own award year.
    """
    latest = {}
    rows = (
        published_profiles()
        .values_list("category_code", "category_label", "year")
        .exclude(category_code="")
        .order_by("category_code", "-year")
        .distinct()
    )
    for code, label, _year in rows:
        latest.setdefault(code, label)
    return sorted(latest.items(), key=lambda item: item[1].lower())


def year_choices():
    years = published_profiles().order_by("-year").values_list("year", flat=True).distinct()
    return [(str(year), str(year)) for year in years]


def topic_choices():
    topics = (
        Topic.objects.filter(profiles__state=ProfileState.PUBLISHED)
        .order_by("name")
        .values_list("slug", "name")
        .distinct()
    )
    return list(topics)


# --- Keyword search -----------------------------------------------------------


def search(queryset, text):
    """`queryset` narrowed to what matches `text`, annotated with `rank` (higher first).

    On PostgreSQL: the stored `search_vector` (title A, summary B, body C) against
    a web-search query (quotes, `or`, `-word`), ranked by `SearchRank`. On
    SQLite: every word must appear somewhere; the rank adds 3 for each word in
    the title, 2 in the summary and 1 in the body.
    """
    text = " ".join((text or "").split())
    if not text:
        return queryset.annotate(rank=Value(0.0))
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="english")
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    return _search_fallback(queryset, text)


def _terms(text):
    """The words of `text`, keeping inner apostrophes and hyphens (officer's, follow-up)."""
    words = re.findall(r"\w+(?:['\u2019-]\w+)*", text.lower())
    return list(dict.fromkeys(words))[:FALLBACK_MAX_TERMS]


def _search_fallback(queryset, text):
    terms = _terms(text)
    if not terms:
        return queryset.none().annotate(rank=Value(0))
    score = Value(0)
    for term in terms:
        body = Q()
        for name in BODY_FIELDS:
            body |= Q(**{f"{name}__icontains": term})
        in_title = Q(title__icontains=term)
        in_summary = Q(summary__icontains=term)
        queryset = queryset.filter(in_title | in_summary | body)
        score = (
            score
            + Case(When(in_title, then=Value(3)), default=Value(0), output_field=IntegerField())
            + Case(When(in_summary, then=Value(2)), default=Value(0), output_field=IntegerField())
            + Case(When(body, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return queryset.annotate(rank=score)
