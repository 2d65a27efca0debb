"""Past recognised programs, imported as published profiles.

`dz_awards.profiles.history` reads and checks a CSV file; each program it
found is created here, as one published profile, the way every profile is
written: through a service that audits it and queues its PDF after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dz_awards.core.services import audit_record
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.library import library_changed
from dz_awards.profiles.models import Profile, ProfileResource
from dz_awards.profiles.selectors import profile_matching
from dz_awards.profiles.services.common import (
    ProfileError,
    profile_slug,
    queue_pdf,
    refresh_search,
    require_staff_or_system,
)
from dz_awards.profiles.services.editing import topic_for_name

if TYPE_CHECKING:
    from dz_awards.accounts.models import User

EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class ImportedProgram:
    """One past program as an import gives it, every value already checked.

    `source` says where it came from, for the audit trail ("line 12").
    """

    year: int
    category_code: str
    category_label: str
    award: str
    agency_name: str
    city: str
    state_code: str
    agency_type: str
    sworn_officers: int | None
    title: str
    summary: str
    resources: tuple[tuple[str, str], ...] = ()  # ((title, url), ...)
    topics: tuple[str, ...] = ()  # (name, ...)
    source: str = ""


def published_at_for(year: int, now: datetime | None = None) -> datetime:
    """January 1 (US Eastern) after the award year, or `now` if that is still ahead.

    The feed and the sitemap then date past programs in their own time, not
    on the day of the import.
    """
    now = now or timezone.now()
    return min(datetime(year + 1, 1, 1, tzinfo=EASTERN), now)


@transaction.atomic
def profile_import(*, actor: User | None, data: ImportedProgram) -> Profile:
    """Create the published, imported profile of one past program.

    Steps: program staff, or None for the command an operator runs; refused
    when the library already has the program (same year, agency and title,
    any case, any state); the profile is created published, without a
    nomination or an agency account, with its links and topics (topics made
    when new); search refreshed; audited ("profile_imported", to published);
    its PDF rendered after commit, as after any publication.
    """
    require_staff_or_system(actor)
    if profile_matching(year=data.year, agency_name=data.agency_name, title=data.title):
        raise ProfileError(
            f"“{data.title}” of {data.agency_name} ({data.year}) is in the library already."
        )
    now = timezone.now()
    published_at = published_at_for(data.year, now)
    profile = Profile(
        slug=profile_slug(data.year, data.agency_name, data.title),
        state=ProfileState.PUBLISHED,
        imported=True,
        award=data.award,
        year=data.year,
        category_code=data.category_code,
        category_label=data.category_label,
        agency_name=data.agency_name,
        city=data.city,
        state_code=data.state_code,
        agency_type=data.agency_type,
        sworn_officers=data.sworn_officers,
        title=data.title,
        summary=data.summary,
        published_by=actor,
        published_at=published_at,
        first_published_at=published_at,
        updated_at=now,
        updated_by=actor,
    )
    profile.save()
    ProfileResource.objects.bulk_create(
        ProfileResource(profile=profile, title=title, url=url, position=position)
        for position, (title, url) in enumerate(data.resources)
    )
    if data.topics:
        profile.topics.set([topic_for_name(actor=actor, name=name) for name in data.topics])
    refresh_search(profile.pk)
    library_changed()
    source = f" ({data.source})" if data.source else ""
    audit_record(
        actor=actor,
        obj=profile,
        action="profile_imported",
        to_state=profile.state,
        message=f"Imported from past awards{source}",
    )
    queue_pdf(profile)
    return profile


@transaction.atomic
def profiles_import(
    *, actor: User | None, programs: Sequence[ImportedProgram]
) -> list[tuple[Profile, bool]]:
    """Import every program in one transaction: all or nothing.

    A program the library has already (same year, agency and title, any case,
    any state) is left as it is, so importing the same file again creates
    nothing. Returns (profile, created) for each program, in order.
    """
    require_staff_or_system(actor)
    results = []
    for program in programs:
        found = profile_matching(
            year=program.year, agency_name=program.agency_name, title=program.title
        )
        if found is not None:
            results.append((found, False))
        else:
            results.append((profile_import(actor=actor, data=program), True))
    return results
