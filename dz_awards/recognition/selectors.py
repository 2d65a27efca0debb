"""Reads of recognition. Scoped selectors are the access control: what they do not return,
the requesting user cannot reach (the view answers 404).

A certificate and its badge belong to the nomination's agency: its approved
members may download them, and program staff; nobody else, reviewers included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape

from dz_awards.accounts.rules import is_program_staff
from dz_awards.core.services import site_url
from dz_awards.nominations.selectors import nominations_for_member, nominations_for_staff
from dz_awards.profiles.selectors import published_profiles
from dz_awards.recognition.badges import SIZE, badge_alt_text
from dz_awards.recognition.models import Certificate

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from dz_awards.accounts.models import User
    from dz_awards.cycles.models import Cycle

    AnyUser = User | AnonymousUser


def certificates_for(user: AnyUser) -> QuerySet[Certificate]:
    """The certificates `user` may download: those of their agencies' nominations, and every
    one for program staff."""
    return Certificate.objects.filter(
        Q(nomination__in=nominations_for_member(user).values("pk"))
        | Q(nomination__in=nominations_for_staff(user).values("pk"))
    )


def certificate_for_download(user: AnyUser, nomination_pk: UUID | str) -> Certificate:
    """The rendered certificate of the nomination at `nomination_pk`, if `user` may have it;
    otherwise 404 (also while it is being prepared)."""
    certificate = get_object_or_404(certificates_for(user), nomination_id=nomination_pk)
    if not certificate.is_ready:
        raise Http404
    return certificate


def certificates_of_cycle(user: AnyUser, cycle: Cycle) -> QuerySet[Certificate]:
    """The certificates issued in `cycle`, for program staff (nobody else sees any), in the
    order of the staff page: category, then program."""
    if not is_program_staff(user):
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(nomination__cycle=cycle)
        .select_related("regenerated_by")
        .order_by("category", "program", "pk")
    )


def certificate_get_for_staff(user: AnyUser, pk: UUID | str) -> Certificate:
    """The certificate at `pk` for program staff; 404 for anyone else."""
    scope = Certificate.objects.all() if is_program_staff(user) else Certificate.objects.none()
    return get_object_or_404(scope, pk=pk)


def file_stem(certificate: Certificate) -> str:
    """The start of the download names: "destination-zero-2026-winner"."""
    return f"destination-zero-{certificate.year}-{certificate.award}"


@dataclass(frozen=True)
class BadgeSnippet:
    """What an agency needs to put the badge on its website."""

    alt: str  # the text alternative to use
    link: str  # where the badge links: the published profile, else the library
    to_profile: bool  # whether `link` is the program's published profile
    file_name: str  # the name the badge downloads as (the snippet's src)
    snippet: str  # the HTML to paste, as text


def badge_snippet(certificate: Certificate) -> BadgeSnippet:
    """The badge's text alternative and the HTML that shows it, linked to the program's public
    profile once it is published (to the model program library until then)."""
    profile = published_profiles().filter(nomination_id=certificate.nomination_id).first()
    to_profile = profile is not None
    link = site_url(profile.get_absolute_url() if profile else reverse("profiles:directory"))
    alt = badge_alt_text(certificate)
    file_name = f"{file_stem(certificate)}-badge.png"
    snippet = (
        f'<a href="{escape(link)}"><img src="{file_name}" alt="{escape(alt)}" '
        f'width="{SIZE}" height="{SIZE}"></a>'
    )
    return BadgeSnippet(
        alt=alt, link=link, to_profile=to_profile, file_name=file_name, snippet=snippet
    )
