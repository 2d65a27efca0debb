"""Staff edits of a profile's public copy, and its topics.

Every edit of what the public sees goes through `mark_edited`: back to draft
after the proof, version bumped, audited, the PDF made again when published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dz_awards.core.services import audit_record
from dz_awards.profiles.models import TOPIC_NAME_LENGTH, Profile, Topic
from dz_awards.profiles.services.common import (
    mark_edited,
    profile_lock,
    refresh_search,
    require_editable,
    require_staff,
    require_staff_or_system,
    unique_slug,
)

if TYPE_CHECKING:
    from dz_awards.accounts.models import User

# The fields staff edit on the public copy (the form's fields, in order).
COPY_FIELDS = [
    "title",
    "summary",
    "need",
    "approach",
    "results",
    "key_figures",
    "durability",
    "replicability",
    "cost_funding",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "video_url",
]


@transaction.atomic
def profile_save(
    *,
    actor: User,
    profile: Profile,
    data: Mapping[str, Any],
    topics: Iterable[Topic] | None = None,
    version: int | str | None = None,
) -> Profile:
    """Save staff edits of the public copy.

    Steps: lock; staff only; in an editable state; the version the editor
    started from (`version`, when given) is still the current one, else a
    conflict; clean the key figures; then `mark_edited` (back to draft after
    the proof, version bumped, audited, PDF made again when published); set
    the topics; refresh search.
    """
    require_staff(actor)
    profile = profile_lock(profile)
    require_editable(profile, version)
    changed = [
        name for name in COPY_FIELDS if name in data and data[name] != getattr(profile, name)
    ]
    new_topics = None if topics is None else list(topics)
    topics_changed = new_topics is not None and {t.pk for t in new_topics} != set(
        profile.topics.values_list("pk", flat=True)
    )
    if not changed and not topics_changed:
        return profile
    for name in changed:
        setattr(profile, name, data[name])
    profile.key_figures = clean_key_figures(profile.key_figures)
    mark_edited(
        profile,
        actor,
        action="profile_edited",
        message=", ".join(changed + (["topics"] if topics_changed else [])),
        fields=[*changed, "key_figures"],
    )
    if new_topics is not None and topics_changed:
        profile.topics.set(new_topics)
    refresh_search(profile.pk)
    return profile


def clean_key_figures(rows: Any) -> list[dict[str, str]]:
    """Key figures as [{"figure", "label"}], blanks dropped; anything else is refused."""
    if not isinstance(rows, list):
        raise ValidationError("Key figures must be a list.")
    cleaned = []
    for row in rows:
        if not isinstance(row, dict):
            raise ValidationError("Each key figure needs a figure and a label.")
        figure = " ".join(str(row.get("figure", "")).split())[:40]
        label = " ".join(str(row.get("label", "")).split())[:200]
        if figure or label:
            cleaned.append({"figure": figure, "label": label})
    return cleaned[:8]


@transaction.atomic
def topic_for_name(*, actor: User | None, name: str) -> Topic:
    """The topic called `name` (any case), created and audited if there is none.

    `actor` is program staff, or None for an import an operator runs.
    """
    require_staff_or_system(actor)
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError("A topic needs a name.")
    if len(name) > TOPIC_NAME_LENGTH:
        raise ValidationError(f"Keep a topic's name under {TOPIC_NAME_LENGTH} characters.")
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is not None:
        return topic
    slug = unique_slug(Topic.objects.all(), name, length=55, fallback="topic")
    topic = Topic.objects.create(name=name, slug=slug)
    audit_record(actor=actor, obj=topic, action="topic_created", message=name)
    return topic
