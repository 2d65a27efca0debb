"""What every profile service shares: the error, the lock, the checks, slugs,
search and queueing the PDF.

Each rule here is written once and used by the lifecycle, the editor, the
media choices and the import alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet, Value
from django.utils import timezone
from django.utils.text import slugify

from dz_awards.accounts.rules import is_program_staff
from dz_awards.core.errors import ServiceError
from dz_awards.core.fsm import make_transition
from dz_awards.core.rows import row_or_gone
from dz_awards.core.services import audit_record
from dz_awards.profiles.enums import EDITABLE_STATES, ProfileState
from dz_awards.profiles.library import library_changed
from dz_awards.profiles.models import Profile, Topic
from dz_awards.profiles.selectors import BODY_FIELDS, facets_text
from dz_awards.profiles.tasks import render_profile_pdf

if TYPE_CHECKING:
    from uuid import UUID

    from dz_awards.accounts.models import User

P = ProfileState


class ProfileError(ServiceError):
    """A profile change that cannot be made now; the message says why, in plain words."""


def profile_lock(profile: Profile) -> Profile:
    """The profile's row, locked for the rest of the transaction, as it is now."""
    return row_or_gone(Profile.objects.select_for_update(of=("self",)), pk=profile.pk)


def profile_transition(profile: Profile, method_name: str, user: User, *, busy: str) -> str:
    """Check permission and state, then make the transition; returns the state it left."""
    return make_transition(profile, method_name, user, busy_message=busy, error=ProfileError)


def require_staff(user: User) -> None:
    if not is_program_staff(user):
        raise PermissionDenied


def require_staff_or_system(actor: User | None) -> None:
    """Program staff, or None for work an operator runs (a command, the demo)."""
    if actor is not None:
        require_staff(actor)


def require_editable(profile: Profile, version: int | str | None = None) -> None:
    """The locked `profile` may be edited now, from `version` if one is named."""
    if profile.state not in EDITABLE_STATES:
        raise ProfileError(
            f"This profile is {profile.get_state_display().lower()}: reopen it to edit."
        )
    if version is not None and int(version) != profile.version:
        raise ProfileError(
            "Someone else changed this profile since you opened it. Your changes are not "
            "saved: copy what you need, reload the page, and make them again."
        )


def unique_slug(queryset: QuerySet[Any], text: str, *, length: int, fallback: str) -> str:
    """A slug of `text` (at most `length` characters) not used in `queryset`, made
    unique with -2, -3…; `fallback` when `text` has nothing to make a slug of."""
    base = slugify(text)[:length].strip("-") or fallback
    slug, number = base, 1
    while queryset.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def profile_slug(year: int, agency_name: str, title: str) -> str:
    """A new profile's address: year, agency and title (at most 120 characters)."""
    text = " ".join(str(part) for part in (year, agency_name, title) if part)
    return unique_slug(Profile.objects.all(), text, length=110, fallback="program")


def refresh_search(profile_pk: UUID | str) -> None:
    """Rebuild the full-text vector (PostgreSQL): title A; summary and the facets
    (agency, city, state name and code, category, topics) B; body C.

    The facets are copied in as text, so a topic renamed later is found under
    its new name after the profile's next edit or `manage.py migrate`'s refresh.
    """
    if connection.vendor != "postgresql":
        return
    row = Profile.objects.filter(pk=profile_pk).values(
        "agency_name", "city", "state_code", "category_label"
    )
    facets = row.first()
    if facets is None:
        return
    topics = Topic.objects.filter(profiles__pk=profile_pk).values_list("name", flat=True)
    Profile.objects.filter(pk=profile_pk).update(
        search_vector=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector(
            Value(facets_text(**facets, topics=list(topics))), weight="B", config="english"
        )
        + SearchVector(*BODY_FIELDS, weight="C", config="english")
    )


def queue_pdf(profile: Profile) -> None:
    """Render the profile's PDF in the background once the transaction commits."""
    profile_pk = str(profile.pk)
    transaction.on_commit(lambda: render_profile_pdf.enqueue(profile_pk))


def mark_edited(
    profile: Profile,
    actor: User,
    *,
    action: str,
    message: str,
    fields: list[str] | tuple[str, ...] = (),
) -> None:
    """Save an edit of what the public sees on the locked `profile` (its `fields` set).

    An edit after the proof was sent takes the profile back to draft (the
    agency approves what is published); the version is bumped; the edit is
    audited; a published profile's PDF is made again after commit (until then
    the old one is not served); a published profile's edit raises the
    library's version, so no cached public page shows the old copy.
    """
    from_state = profile.state
    if profile.state in (P.PROOF_SENT, P.AGENCY_APPROVED):
        profile.reopen()
    profile.version += 1
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    profile.save(update_fields=[*fields, "state", "version", "updated_at", "updated_by"])
    if P.PUBLISHED in (from_state, profile.state):
        library_changed()
    audit_record(
        actor=actor,
        obj=profile,
        action=action,
        from_state=from_state,
        to_state=profile.state,
        message=message,
    )
    if profile.state == P.PUBLISHED:
        queue_pdf(profile)
