"""The library's version, and what is computed once per version (the filter choices).

The public library changes only when staff publish, edit, retract or import a
profile (and when the background work finishes a PDF or an image's sizes).
Each of those calls `library_changed()` inside its own transaction, which
raises the one-row `LibraryVersion`: the new number becomes visible with the
change it stands for, in every process at once, since it lives in the
database. Everything derived from the published profiles (the directory's
filter choices and counts, the cached public pages in
`dz_awards.profiles.page_cache`) is stored in the shared cache under a key
that holds the version, so a change needs no invalidation: the next request
reads the new version and so new keys.

Why a table and not a counter in the cache: the version must never go back.
A cache may be flushed or evict a key; a counter kept there would restart and
its keys would name old pages. The table survives a cache flush, and a row
lost in a flushed database is recreated with a new `changed_at`, which is part
of every key, so even then no old entry is reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from dz_awards.agencies.enums import USState
from dz_awards.profiles import selectors
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import LibraryVersion, Topic

if TYPE_CHECKING:
    from datetime import datetime

# Entries keyed by a version are useless once it changes; they expire on their own.
VERSIONED_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class Version:
    """The library's version as read at the start of a request."""

    number: int
    changed_at: datetime

    @property
    def key(self) -> str:
        """Unique for ever: the number, and the moment its row was written."""
        return f"{self.number}.{int(self.changed_at.timestamp() * 1_000_000)}"


def library_version() -> Version | None:
    """The current version (one query by primary key); None before the first change."""
    row = (
        LibraryVersion.objects.filter(pk=LibraryVersion.SINGLETON)
        .values_list("number", "changed_at")
        .first()
    )
    return Version(number=row[0], changed_at=row[1]) if row else None


def library_changed() -> None:
    """Raise the library's version; call it inside the transaction that changes the library.

    An UPDATE of the row, so concurrent changes queue on its lock and each
    counts; the row is created by the first change ever (or the first after it
    was lost), never by a read.
    """
    # What this process keeps of the old version is of no further use (and a test's
    # rolled-back version could come back with the same number under a frozen clock).
    from dz_awards.profiles.page_cache import forget_recent_pages  # noqa: PLC0415 - cycle

    _memo.clear()
    forget_recent_pages()
    now = timezone.now()
    raised = LibraryVersion.objects.filter(pk=LibraryVersion.SINGLETON).update(
        number=F("number") + 1, changed_at=now
    )
    if not raised:
        LibraryVersion.objects.bulk_create(
            [LibraryVersion(pk=LibraryVersion.SINGLETON, number=1, changed_at=now)],
            ignore_conflicts=True,
        )
    # What a visitor after the change would otherwise wait for is done once the change
    # is committed, by the process that made it: the new filter choices (at 10,000
    # programs four scans, a third of a cold directory page) and the directory's first
    # page, the library's front door (`page_cache.warm_front_page`). Once per
    # transaction: an import of 500 programs changes the library 500 times.
    connection = transaction.get_connection()
    if not any(entry[1] is _after_change for entry in connection.run_on_commit):
        transaction.on_commit(_after_change)


def _after_change() -> None:
    from dz_awards.profiles.page_cache import warm_front_page  # noqa: PLC0415 - cycle

    version = library_version()
    if version is not None:
        filter_choices(version)
        warm_front_page()


# --- The directory's filter choices, once per version ------------------------------


@dataclass(frozen=True)
class FilterChoices:
    """The directory's choices that depend on what is published, with their counts.

    Each list is [(value, label)]; `counts[filter][value]` is the number of
    published profiles with that value (a profile counts once per topic).
    """

    categories: list[tuple[str, str]]
    years: list[tuple[str, str]]
    states: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _compute_filter_choices() -> FilterChoices:
    published = selectors.published_profiles()
    by_year = dict(
        published.order_by("-year").values("year").annotate(n=Count("pk")).values_list("year", "n")
    )
    by_state = dict(
        published.order_by()
        .values("state_code")
        .annotate(n=Count("pk"))
        .values_list("state_code", "n")
    )
    # A category may be renamed from year to year: offered under its latest label.
    latest_label: dict[str, str] = {}
    by_category: dict[str, int] = {}
    category_rows = (
        published.exclude(category_code="")
        .values("category_code", "category_label", "year")
        .annotate(n=Count("pk"))
        .order_by("category_code", "-year")
        .values_list("category_code", "category_label", "n")
    )
    for code, label, n in category_rows:
        latest_label.setdefault(code, label)
        by_category[code] = by_category.get(code, 0) + n
    topic_rows = list(
        Topic.objects.filter(profiles__state=ProfileState.PUBLISHED)
        .values("slug", "name")
        .annotate(n=Count("profiles"))
        .order_by("name")
        .values_list("slug", "name", "n")
    )
    return FilterChoices(
        categories=sorted(latest_label.items(), key=lambda item: item[1].lower()),
        years=[(str(year), str(year)) for year in by_year],
        states=[choice for choice in USState.choices if choice[0] in by_state],
        topics=[(slug, name) for slug, name, _n in topic_rows],
        counts={
            "category": by_category,
            "year": {str(year): n for year, n in by_year.items()},
            "state": by_state,
            "topic": {slug: n for slug, _name, n in topic_rows},
        },
    )


# The last choices this process read, with their version's key: no cache round trip
# while the library does not change (the version is read on every request anyway).
_memo: dict[str, FilterChoices] = {}


def filter_choices(version: Version | None = None) -> FilterChoices:
    """The directory's filter choices and counts: computed once per library version.

    Before the first change (no version yet) they are computed each time.
    """
    version = version or library_version()
    if version is None:
        return _compute_filter_choices()
    key = f"library:choices:{version.key}"
    if key in _memo:
        return _memo[key]
    choices = cache.get(key)
    if choices is None:
        choices = _compute_filter_choices()
        cache.set(key, choices, VERSIONED_TIMEOUT)
    _memo.clear()
    _memo[key] = choices
    return choices
