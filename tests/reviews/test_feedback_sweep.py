"""The blind sweep the other way round: no reviewer identity reaches the agency.

tests/reviews/test_blind_sweep.py keeps the agency from reviewers; this keeps the
reviewers from the agency. Four reviewers with distinctive names, job titles,
email addresses (their usernames) and ids review a nomination; the fourth
declares a conflict after submitting. Before release, staff withhold two
comments; the cycle shares feedback; decisions are released and staff send the
proof of the public profile.

Then a member of the agency goes everywhere the agency can go for that
nomination: the dashboard, the nomination's pages and every link on them that
stays on the site (revisions, changes, files, the feedback page and its CSV,
the profile's proof, and whatever else the nomination page links to), and
reads every email the agency was sent. Nothing holds a reviewer's name, job
title, email address, the part of it before the @, or id in a form that
names them (their user, review or assignment numbers in a URL or label), nor
a withheld comment, nor a comment of the conflicted reviewer; and the comments
that are shared are there, so the sweep cannot pass by showing nothing.
"""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from dz_awards.profiles import services as profile_services
from dz_awards.profiles.models import Profile
from reviews import selectors, services
from tests.reviews.feedback_worlds import build_feedback_world, release

pytestmark = pytest.mark.django_db

# Ids far from any the world would give by itself.
REVIEWERS = [
    {
        "pk": 7_340_917,
        "full_name": "Theodora Quillfeather",
        "email": "t.quillfeather@reviewers.example",
        "job_title": "Deputy Chief Ombrewick",
    },
    {
        "pk": 7_340_923,
        "full_name": "Bartholomew Crandlesby",
        "email": "bcrandlesby@reviewers.example",
        "job_title": "Commander Vexholm",
    },
    {
        "pk": 7_340_929,
        "full_name": "Ysolde Marchbanks-Pryor",
        "email": "ysolde.mp@reviewers.example",
        "job_title": "Sheriff Drummelgate",
    },
    {
        "pk": 7_340_931,
        "full_name": "Lucan Whitsunday",
        "email": "lucan.whitsunday@reviewers.example",
        "job_title": "Captain Harrowmere",
    },
]


def _terms(people, reviews):
    """Everything that would name a reviewer, as it could appear in a page or a file."""
    terms = []
    for person in people:
        local = person.email.split("@", 1)[0]
        terms += [person.full_name, person.email, local, person.job_title, str(person.pk)]
        terms += person.full_name.split()
    for review in reviews:
        terms += [
            f"/review/assignments/{review.assignment_id}/",
            f"Review {review.pk}",
            f"review {review.pk}",
            f'"review": {review.pk}',
        ]
    return terms


def _found(text, terms):
    folded = unescape(text).casefold()
    return sorted({term for term in terms if term.casefold() in folded})


def _links(html, base):
    """Same-site GET links of a page (no sign-out, no PDFs: the proof PDF is the page's
    content rendered again, and WeasyPrint is slow)."""
    links = []
    for href in re.findall(r'href="([^"#]+)', html):
        url = urljoin(base, unescape(href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if (
            parts.path.endswith(".pdf")
            or "logout" in parts.path
            or parts.path.startswith("/static/")
        ):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _sweep(client, starts, scope):
    """GET `starts` and every link on them (and on those) whose path holds one of
    `scope`; {path: (status, headers and body as text)}."""
    seen, queue = {}, list(starts)
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
        seen[path] = (response.status_code, f"{headers}\n{text}")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue += [link for link in _links(text, path) if any(s in link for s in scope)]
    return seen


def test_agency_receives_no_reviewer_identity_and_no_withheld_comment():
    world = build_feedback_world(release=False, reviewer_fields=REVIEWERS)
    people = [*world.reviewers, world.conflicted]
    _rubric, criteria = selectors.criteria_for(world.nomination)
    withheld_score = world.reviews[1].scores.get(criterion=criteria[3])
    services.comment_withhold(
        actor=world.staff,
        review=world.reviews[1],
        criterion_or_none=criteria[3],
        reason=f"Names {REVIEWERS[1]['full_name']}'s own department.",
    )
    services.comment_withhold(
        actor=world.staff,
        review=world.reviews[2],
        criterion_or_none=None,
        reason="Too personal.",
    )
    withheld = [withheld_score.justification, world.reviews[2].overall_comment]
    release(world)
    profile = Profile.objects.get(nomination=world.nomination)
    profile_services.profile_send_proof(actor=world.staff, profile=profile)

    client = Client()
    client.force_login(world.owner)
    nomination = world.nomination
    feedback = reverse("reviews:feedback", kwargs={"pk": nomination.pk})
    seen = _sweep(
        client,
        [
            reverse("portal:dashboard"),
            nomination.get_absolute_url(),
            feedback,
            reverse("reviews:feedback-csv", kwargs={"pk": nomination.pk}),
            reverse("profiles:proof", kwargs={"pk": profile.pk}),
        ],
        scope=[str(nomination.pk), str(profile.pk)],
    )
    emails = {
        f"email {row.key}": f"{row.to}\n{row.subject}\n{row.body}"
        for row in OutboxEmail.objects.filter(to=world.owner.email)
    }

    # The sweep went where it meant to, and found the feedback there.
    statuses = {path: status for path, (status, _text) in seen.items()}
    assert {
        reverse("nominations:revision", kwargs={"pk": nomination.pk, "number": 1}),
        reverse("profiles:proof", kwargs={"pk": profile.pk}),
        feedback,
    } <= set(seen), sorted(seen)
    assert set(statuses.values()) == {200}, statuses
    assert feedback in _links(seen[nomination.get_absolute_url()][1], "/")
    assert any(key.startswith("email nomination-outcome:") for key in emails)
    assert any(key.startswith("email profile-proof:") for key in emails)
    outcome = next(text for key, text in emails.items() if "nomination-outcome" in key)
    assert feedback in outcome
    shared = [text for text in world.counting_texts() if text not in withheld]
    assert len(shared) == 3 * 7 - 2
    for path in (feedback, reverse("reviews:feedback-csv", kwargs={"pk": nomination.pk})):
        page = unescape(seen[path][1])
        assert [text for text in shared if text not in page] == [], path

    everything = {**{path: text for path, (_status, text) in seen.items()}, **emails}
    terms = _terms(people, [*world.reviews, world.conflicted_review])
    assert {
        where: _found(text, terms) for where, text in everything.items() if _found(text, terms)
    } == {}
    hidden = withheld + world.conflicted_texts()
    assert {
        where: _found(text, hidden) for where, text in everything.items() if _found(text, hidden)
    } == {}

    # The control: staff's page names the reviewers, so the search finds them where they are.
    client.force_login(world.staff)
    staff_page = client.get(reverse("staff:review-feedback", kwargs={"cycle": world.cycle.pk}))
    assert {person.full_name for person in world.reviewers} <= set(
        _found(staff_page.content.decode(), terms)
    )
