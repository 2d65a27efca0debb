"""Reads of profiles.

The public reads only `published_profiles` (directly or through the helpers
below), so a profile that is not published, or was retracted, is absent from
every public page, file, feed and export at once. An agency reads its own
profiles through `profiles_for_member`; anything outside a scope is a 404.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from dz_awards.accounts.rules import is_program_staff
from dz_awards.agencies.enums import MembershipStatus, USState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles.enums import PROFILED_STATES, PdfStatus, ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, ProfilePdf

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Expression

    from dz_awards.accounts.models import User

    type AnyUser = User | AnonymousUser

# The Markdown fields searched as "body" (weight C on PostgreSQL, score 1 on SQLite).
BODY_FIELDS = ("need", "approach", "results", "durability", "replicability", "cost_funding")
# On SQLite each word is looked up on its own; a query of more words than this is cut.
FALLBACK_MAX_TERMS = 8
# "Did you mean": agency names at least this close to the keywords (pg_trgm word
# similarity, 0 to 1), at most this many.
SUGGESTION_THRESHOLD = 0.4
MAX_SUGGESTIONS = 3
# Similar programs shown under a profile.
MAX_SIMILAR = 4
STATE_NAMES = dict(USState.choices)


def published_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(state=ProfileState.PUBLISHED)


def _images_in_order() -> Prefetch:
    return Prefetch("images", queryset=ProfileImage.objects.order_by("position", "pk"))


def directory_profiles() -> QuerySet[Profile]:
    """Published profiles with what a directory row shows (topics, the first image)."""
    return published_profiles().prefetch_related("topics", _images_in_order())


def with_page_parts(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """What the profile page shows: the PDF record, images, resources and topics."""
    return queryset.select_related("pdf").prefetch_related(
        _images_in_order(), "resources", "topics"
    )


def published_profile_for_page(slug: str) -> Profile:
    return get_object_or_404(with_page_parts(published_profiles()), slug=slug)


def published_profile_with_pdf(slug: str) -> Profile:
    return get_object_or_404(published_profiles().select_related("pdf"), slug=slug)


def profiles_for_member(user: AnyUser) -> QuerySet[Profile]:
    """The profiles of the agencies `user` is an approved member of (any state)."""
    if not (user.is_authenticated and user.is_active):
        return Profile.objects.none()
    return Profile.objects.filter(
        agency__memberships__user=user,
        agency__memberships__status=MembershipStatus.APPROVED,
    )


def proof_get(user: AnyUser, pk: UUID | str) -> Profile:
    """The profile `pk` as its agency's member sees it for the proof; else 404."""
    return get_object_or_404(with_page_parts(profiles_for_member(user)), pk=pk)


def profiles_with_files_for(user: AnyUser) -> QuerySet[Profile]:
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


def profile_for_files_get(user: AnyUser, slug: str) -> Profile:
    return get_object_or_404(profiles_with_files_for(user), slug=slug)


def profiles_for_staff(user: AnyUser) -> QuerySet[Profile]:
    """Every profile, for program staff; nothing for anyone else."""
    if not is_program_staff(user):
        return Profile.objects.none()
    return Profile.objects.all()


def nominations_awaiting_profile() -> QuerySet[Nomination]:
    """The finalists and winners that have no profile yet."""
    return Nomination.objects.filter(state__in=PROFILED_STATES, profile__isnull=True)


def proofs_to_approve(user: AnyUser) -> QuerySet[Profile]:
    """Profiles of the user's agencies whose proof waits for the agency's answer."""
    return profiles_for_member(user).filter(state=ProfileState.PROOF_SENT).order_by("title", "pk")


def profiles_to_publish(user: AnyUser) -> QuerySet[Profile]:
    """Profiles the agency approved that `user` may publish: the second staff member,
    never the one who sent the proof (`rules.can_publish`)."""
    return (
        profiles_for_staff(user)
        .filter(state=ProfileState.AGENCY_APPROVED, prepared_by__isnull=False)
        .exclude(prepared_by=user.pk)
        .order_by("year", "title", "pk")
    )


def profiles_of_nominations(nominations: Iterable[Nomination]) -> dict[UUID, Profile]:
    """{nomination pk: its profile} for those of `nominations` that have one: one query.

    For the agency's own pages, which show each profile in whatever state it is.
    """
    ids = [nomination.pk for nomination in nominations]
    if not ids:
        return {}
    return {
        profile.nomination_id: profile
        for profile in Profile.objects.filter(nomination_id__in=ids)
        if profile.nomination_id is not None
    }


def profile_matching(*, year: int, agency_name: str, title: str) -> Profile | None:
    """The profile of this program (year, agency and title, any case), if the library
    has one: any state, imported or not. The oldest, should there be two."""
    return (
        Profile.objects.filter(year=year, agency_name__iexact=agency_name, title__iexact=title)
        .order_by("created_at")
        .first()
    )


# --- The PDF summary ------------------------------------------------------------


def current_pdf(profile: Profile) -> ProfilePdf | None:
    """The stored PDF if it shows the profile's current version (the only one served)."""
    stored = getattr(profile, "pdf", None)
    return stored if stored is not None and stored.is_current else None


def pdf_status(profile: Profile) -> PdfStatus:
    """Current (the stored PDF shows this version), rendering (published, a newer one
    is being made), failed (making this version's failed) or none (not published
    and no current PDF)."""
    if current_pdf(profile) is not None:
        return PdfStatus.CURRENT
    if profile.state == ProfileState.PUBLISHED:
        if profile.pdf_error_version == profile.version:
            return PdfStatus.FAILED
        return PdfStatus.RENDERING
    return PdfStatus.NONE


# --- Keyword search -----------------------------------------------------------


def facets_text(
    *, agency_name: str, city: str, state_code: str, category_label: str, topics: Iterable[str]
) -> str:
    """The words a profile is also found by: agency, city, state (name and code),
    category and topics. Stored in the search vector at weight B, beside the summary."""
    parts = [agency_name, city, STATE_NAMES.get(state_code, ""), state_code, category_label]
    return " ".join(part for part in [*parts, *topics] if part)


def _state_code_typed(text: str) -> str | None:
    """The state code `text` is, if it is exactly one (OH, in, Or).

    Some codes are English stop words (IN, OR, ME, AS) that full-text search
    drops, and "or" is an operator: a query that is only a code is read as it.
    """
    code = text.strip().upper()
    return code if len(code) == 2 and code in STATE_NAMES else None


def search(queryset: QuerySet[Profile], text: str | None) -> QuerySet[Profile]:
    """`queryset` narrowed to what matches `text`, annotated with `rank` (higher first).

    On PostgreSQL: the stored `search_vector` (title A; summary, agency, city,
    state, category and topics B; body C) against a web-search query (quoted
    phrases, `or`, `-word`), ranked by `SearchRank`. On SQLite: every word must
    appear somewhere; the rank adds 3 for each word in the title, 2 in the
    summary or the agency's details, 1 in the body.
    """
    text = " ".join((text or "").split())
    if not text:
        return queryset.annotate(rank=Value(0.0))
    code = _state_code_typed(text)
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="english")
        matches = Q(search_vector=query)
        if code:
            matches |= Q(state_code=code)
        return queryset.filter(matches).annotate(rank=SearchRank(F("search_vector"), query))
    return _search_fallback(queryset, text)


def agency_suggestions(text: str | None) -> list[str]:
    """Published agencies' names close to `text` (misspelt), closest first: PostgreSQL only.

    Asked when a search finds nothing, so its cost (a scan of the published
    names) is paid only on an empty result.
    """
    text = " ".join((text or "").split())
    if not text or connection.vendor != "postgresql":
        return []
    rows = (
        published_profiles()
        # A Value, not a str: a str would be read as a column name.
        .annotate(similarity=TrigramWordSimilarity(Value(text), "agency_name"))  # type: ignore[arg-type]
        .filter(similarity__gte=SUGGESTION_THRESHOLD)
        .values_list("agency_name", "similarity")
        .order_by("-similarity", "agency_name")
    )
    names: list[str] = []
    for name, _similarity in rows[: MAX_SUGGESTIONS * 5]:
        if name.lower() != text.lower() and name not in names:
            names.append(name)
        if len(names) == MAX_SUGGESTIONS:
            break
    return names


def _terms(text: str) -> list[str]:
    """The words of `text`, keeping inner apostrophes and hyphens (officer's, follow-up)."""
    words = re.findall(r"\w+(?:['\u2019-]\w+)*", text.lower())
    return list(dict.fromkeys(words))[:FALLBACK_MAX_TERMS]


def _in_facets(term: str) -> Q:
    """The profile's agency, city, state (name or code), category or a topic has `term`."""
    codes = [code for code, name in STATE_NAMES.items() if term in name.lower()]
    if term.upper() in STATE_NAMES:
        codes.append(term.upper())
    topic_links = Profile.topics.through.objects.filter(
        profile_id=OuterRef("pk"), topic__name__icontains=term
    )
    return (
        Q(agency_name__icontains=term)
        | Q(city__icontains=term)
        | Q(category_label__icontains=term)
        | Q(state_code__in=codes)
        | Q(Exists(topic_links))
    )


def _search_fallback(queryset: QuerySet[Profile], text: str) -> QuerySet[Profile]:
    terms = _terms(text)
    if not terms:
        return queryset.none().annotate(rank=Value(0))
    score: Expression = Value(0)
    for term in terms:
        body = Q()
        for name in BODY_FIELDS:
            body |= Q(**{f"{name}__icontains": term})
        in_title = Q(title__icontains=term)
        in_summary = Q(summary__icontains=term) | _in_facets(term)
        queryset = queryset.filter(in_title | in_summary | body)
        score = (
            score
            + Case(When(in_title, then=Value(3)), default=Value(0), output_field=IntegerField())
            + Case(When(in_summary, then=Value(2)), default=Value(0), output_field=IntegerField())
            + Case(When(body, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return queryset.annotate(rank=score)


# --- Similar programs and the last change -----------------------------------------


def similar_profiles(profile: Profile, limit: int = MAX_SIMILAR) -> list[Profile]:
    """Published programs sharing the most topics and the category with `profile`:
    one query (its topics are read from the prefetch when there is one).

    Each shared topic counts 1 and the same category 1; ties go to the newest.
    Never the profile itself, never one that shares nothing.
    """
    topic_ids = [topic.pk for topic in profile.topics.all()]
    shared_topics: Expression = (
        Count("topics", filter=Q(topics__in=topic_ids), distinct=True) if topic_ids else Value(0)
    )
    same_category = Case(
        When(category_code=profile.category_code, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return list(
        published_profiles()
        .exclude(pk=profile.pk)
        .annotate(shared=shared_topics + same_category)
        .filter(shared__gt=0)
        .order_by("-shared", "-year", "title", "pk")
        .only("slug", "state", "title", "agency_name", "city", "state_code", "year")[:limit]
    )


def library_last_changed() -> datetime | None:
    """When a published program last changed (its latest publish or edit), if any."""
    return published_profiles().aggregate(latest=Max("published_at"))["latest"]
