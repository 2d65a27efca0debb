"""Reviewers' feedback to agencies: what is shared and when, withholding, position, pages.

The module's tests share one world (`tests.worlds.module_world`), each test in a
savepoint of it. Three nominations, each reviewed by three reviewers who count
and a fourth who declared a conflict after submitting (`feedback_worlds`):
`shared` (released finalist, the cycle shares feedback as a band), `quiet`
(released, the cycle does not share) and `waiting` (a winner staged, not yet
released, the cycle shares ranks). `ranked` is a category of four nominations
reviewed once each by a harsh and a lenient reviewer, where normalised scores
and means rank them differently.
"""

import csv
import io
import re
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dz_awards.core.models import OutboxEmail
from dz_awards.core.services import site_url
from dz_awards.nominations.models import Nomination
from reviews import selectors, services
from reviews.enums import FeedbackPosition, Outcome
from reviews.models import Criterion, ReviewPolicy, WithheldComment
from reviews.selectors.feedback import CriterionFeedback, ordinal
from tests import factories
from tests.reviews import helpers
from tests.reviews.feedback_worlds import FeedbackWorld, build_feedback_world, release, share
from tests.worlds import module_world_fixture

BAND, RANK = FeedbackPosition.BAND, FeedbackPosition.RANK


# The world ----------------------------------------------------------------------------


@dataclass
class World:
    staff: object
    shared: FeedbackWorld
    quiet: FeedbackWorld
    waiting: FeedbackWorld
    ranked_cycle: object
    ranked: list  # N1 to N4 of one category


def _ranked(staff):
    """Four nominations of one category, one review each: a harsh reviewer gives N1 3 and
    N2 2, a lenient one N3 5 and N4 4. By mean: N3, N4, N1, N2. Normalised (each
    reviewer's z-scores on the panel's scale): N1 and N3 tie first, N2 and N4 third."""
    cycle = helpers.review_cycle(staff, reviewers_per_nomination=1)
    category = factories.CategoryFactory(cycle=cycle, label="Traffic Safety")
    helpers.review_phase(cycle)
    harsh, lenient = helpers.panel(category, 2)
    nominations = []
    for person, total in ((harsh, 3), (harsh, 2), (lenient, 5), (lenient, 4)):
        nomination = helpers.ready_nomination(staff, category=category)
        (row,) = helpers.open_review(staff, nomination, [person])
        helpers.submit_review(row, total)
        nominations.append(nomination)
    share(cycle, staff=staff, position=RANK)
    return cycle, nominations


def build_world():
    staff = factories.StaffFactory()
    shared = build_feedback_world(staff=staff)
    quiet = build_feedback_world(staff=staff, shares=False, outcome=Outcome.NOT_SELECTED)
    waiting = build_feedback_world(
        staff=staff, position=RANK, release=False, outcome=Outcome.WINNER
    )
    ranked_cycle, ranked = _ranked(staff)
    return World(staff, shared, quiet, waiting, ranked_cycle, ranked)


feedback_world = module_world_fixture("feedback_world", build_world, with_media_root=True)


@pytest.fixture
def world(feedback_world, db, settings):
    """The module's world in one test (a savepoint in it)."""
    shared, media_root = feedback_world
    settings.MEDIA_ROOT = media_root
    return shared


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _urls(world):
    pk = world.nomination.pk
    return {
        "page": reverse("reviews:feedback", kwargs={"pk": pk}),
        "csv": reverse("reviews:feedback-csv", kwargs={"pk": pk}),
        "detail": reverse("nominations:detail", kwargs={"pk": pk}),
    }


def _seen(world):
    """(page status, csv status, whether the nomination page links to the feedback)."""
    client, urls = _client(world.owner), _urls(world)
    detail = client.get(urls["detail"])
    assert detail.status_code == 200
    return (
        client.get(urls["page"]).status_code,
        client.get(urls["csv"]).status_code,
        urls["page"] in detail.content.decode(),
    )


def _outcome_email(world):
    rows = OutboxEmail.objects.filter(key__startswith=f"nomination-outcome:{world.nomination.pk}")
    (row,) = rows
    return row.body


def _csv_rows(response):
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _sections(html):
    """{heading: [list item texts]} of the agency page's criterion and overall sections."""
    found = {}
    for heading, body in re.findall(
        r'<h2 id="[^"]+" class="h4">(.*?)</h2>(.*?)</section>', html, re.S
    ):
        found[heading] = [
            re.sub(r"\s+", " ", item).strip()
            for item in re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)
        ]
    return found


# Where the score fell: bands and ranks ------------------------------------------------


@pytest.mark.parametrize(
    ("of", "bands"),
    [
        (1, ["the only nomination scored in its category"]),
        (2, ["the upper half", "the lower half"]),
        (3, ["the upper half", "the upper half", "the lower half"]),
        (
            4,
            ["the top quarter", "the second quarter", "the third quarter", "the bottom quarter"],
        ),
        (
            9,
            ["the top quarter"] * 3
            + ["the second quarter"] * 2
            + ["the third quarter"] * 2
            + ["the bottom quarter"] * 2,
        ),
    ],
)
def test_band_of_cuts_categories_of_every_size(of, bands):
    assert [selectors.band_of(rank, of) for rank in range(1, of + 1)] == bands


@pytest.mark.parametrize(("rank", "of"), [(0, 4), (5, 4), (1, 0)])
def test_band_of_refuses_an_impossible_rank(rank, of):
    with pytest.raises(ValueError, match="is not possible"):
        selectors.band_of(rank, of)


@pytest.mark.parametrize(
    ("where", "text", "sentence"),
    [
        ((RANK, 2, 9, False), "2nd of 9", "ranked 2nd of the 9 nominations scored in Wellness."),
        (
            (RANK, 1, 2, True),
            "1st of 2 (tied)",
            "ranked 1st of the 2 nominations scored in Wellness, tied with another nomination.",
        ),
        ((RANK, 4, 4, False), "4th of 4", "ranked 4th of the 4 nominations scored in Wellness."),
        ((BAND, 2, 9, False), "the top quarter", "was in the top quarter of the 9 nominations"),
        ((BAND, 2, 2, False), "the lower half", "was in the lower half of the 2 nominations"),
        ((BAND, 3, 4, True), "the third quarter", "in the third quarter of the 4 nominations"),
    ],
)
def test_position_says_the_band_or_the_rank(where, text, sentence):
    """`where` is (kind, rank, of, tied)."""
    position = selectors.ScorePosition(*where, category="Wellness")
    assert position.text == text
    assert position.sentence.startswith("Your program's normalised score ")
    assert sentence in position.sentence


@pytest.mark.parametrize("kind", [BAND, RANK])
def test_position_of_a_lone_nomination_says_it_was_the_only_one(kind):
    position = selectors.ScorePosition(kind, 1, 1, False, "Wellness")
    assert position.text == "the only nomination scored in its category"
    assert position.sentence == (
        "Your program was the only nomination scored in its category (Wellness)."
    )


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (103, "103rd"),
        (111, "111th"),
    ],
)
def test_ordinal(number, text):
    assert ordinal(number) == text


def test_position_follows_the_scoreboards_normalised_ranks(world):
    n1, n2, n3, n4 = (Nomination.objects.get(pk=n.pk) for n in world.ranked)
    board = selectors.scoreboard(world.ranked_cycle)
    means = {line.nomination.pk: line.stats.mean for line in board.categories[0].lines}
    # By mean, N1 would be third; normalised, it ties first with N3.
    assert sorted(means, key=means.get, reverse=True) == [n3.pk, n4.pk, n1.pk, n2.pk]
    positions = {
        n: (selectors.score_position(n, RANK).text, selectors.score_position(n, BAND).text)
        for n in (n1, n2, n3, n4)
    }
    assert positions == {
        n1: ("1st of 4 (tied)", "the top quarter"),
        n2: ("3rd of 4 (tied)", "the third quarter"),
        n3: ("1st of 4 (tied)", "the top quarter"),
        n4: ("3rd of 4 (tied)", "the third quarter"),
    }


def test_position_of_a_nomination_without_counting_reviews_is_none(world):
    """In a category with scores, or in one without any (not on the scoreboard)."""
    lone = helpers.ready_nomination(world.staff, category=world.shared.category)
    assert selectors.score_position(lone, BAND) is None
    elsewhere = factories.CategoryFactory(cycle=world.ranked_cycle, position=9)
    alone = helpers.ready_nomination(world.staff, category=elsewhere)
    assert selectors.score_position(alone, RANK) is None


def test_feedback_rows_without_a_position_are_the_comments():
    feedback = selectors.AgencyFeedback(
        nomination=None,
        position=None,
        criteria=[CriterionFeedback("Results", "Measured results.", ["Clear figures."])],
        overall=["Worth copying."],
    )
    assert feedback.rows == [("Results", "Clear figures."), ("Overall comments", "Worth copying.")]


# What the agency reads ----------------------------------------------------------------


def test_feedback_page_shows_counting_comments_by_text_with_the_band(world):
    shared = world.shared
    response = _client(shared.owner).get(_urls(shared)["page"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your program was the only nomination scored in its category (Officer Wellness)." in html
    sections = _sections(html)
    _rubric, criteria = selectors.criteria_for(shared.nomination)
    assert list(sections) == [c.name for c in criteria] + ["Overall comments"]
    for criterion in criteria:
        expected = sorted(
            review.scores.get(criterion=criterion).justification for review in shared.reviews
        )
        assert sections[criterion.name] == expected
    assert sections["Overall comments"] == sorted(r.overall_comment for r in shared.reviews)
    # Sorted by text, the first comment is not always the same reviewer's.
    firsts = {re.search(r"number (\d)", sections[c.name][0]).group(1) for c in criteria}
    assert firsts == {"1", "2", "3"}
    # The conflicted reviewer's comments are never shown.
    assert [text for text in shared.conflicted_texts() if text in html] == []
    assert all(text in html for text in shared.counting_texts())


def test_feedback_csv_holds_the_page_rows(world):
    shared = world.shared
    Nomination.objects.filter(pk=shared.nomination.pk).update(title="Peer Support: Day One!")
    response = _client(shared.owner).get(_urls(shared)["csv"])
    assert response.status_code == 200
    # Named after the year and the program: two nominations download side by side.
    assert response["Content-Disposition"] == (
        f'attachment; filename="reviewers-feedback-{shared.cycle.year}-peer-support-day-one.csv"'
    )
    rows = _csv_rows(response)
    feedback = selectors.agency_feedback(shared.fresh())
    assert rows[0] == ["Part", "Comment"]
    assert [tuple(row) for row in rows[1:]] == feedback.rows
    assert rows[1] == [
        "Where your score fell",
        "Your program was the only nomination scored in its category (Officer Wellness).",
    ]
    assert len(rows) == 1 + 1 + 3 * 6 + 3
    texts = {row[1] for row in rows}
    assert set(shared.counting_texts()) <= texts
    assert not set(shared.conflicted_texts()) & texts


def test_feedback_link_and_email_line_when_released_and_shared(world):
    assert _seen(world.shared) == (200, 200, True)
    page = site_url(_urls(world.shared)["page"])
    assert f"Read the reviewers' feedback, without their names: {page}\n" in _outcome_email(
        world.shared
    )


def test_feedback_not_shown_when_the_cycle_does_not_share(world):
    quiet = world.quiet
    assert selectors.agency_feedback(quiet.fresh()) is None
    assert _seen(quiet) == (404, 404, False)
    email = _outcome_email(quiet)
    assert "feedback" not in email
    assert "See the nomination: " in email
    # The policy alone decides: sharing on, the same nomination has its page. (Written
    # directly: once decisions are released, the policy service keeps sharing as it was.)
    ReviewPolicy.objects.update_or_create(cycle=quiet.cycle, defaults={"share_feedback": True})
    assert _seen(quiet) == (200, 200, True)


def test_feedback_shared_after_release_only(world):
    waiting = world.waiting
    assert selectors.agency_feedback(waiting.fresh()) is None
    assert _seen(waiting) == (404, 404, False)
    assert not OutboxEmail.objects.filter(
        key__startswith=f"nomination-outcome:{waiting.nomination.pk}"
    ).exists()
    release(waiting)
    assert _seen(waiting) == (200, 200, True)
    assert _urls(waiting)["page"] in _outcome_email(waiting)


def test_feedback_stays_while_a_finalist_is_staged_as_winner(world):
    """Staging clears the decision's release until the winner is released; the finalist
    was released, and the agency must not learn from its page that a decision is staged."""
    shared = world.shared
    services.decision_stage(actor=world.staff, nomination=shared.fresh(), outcome=Outcome.WINNER)
    assert selectors.staged_decision(shared.fresh()) is not None
    assert _seen(shared) == (200, 200, True)
    assert "reads the comments not withheld now</strong>." in _staff_page(world, shared.cycle)


def test_feedback_outside_the_agency_is_404(world):
    shared = world.shared
    outsiders = [
        factories.OwnerFactory().user,  # another agency
        shared.reviewers[0],
        world.staff,  # program staff are not the agency: their pages are their own
        world.quiet.owner,
    ]
    for person in outsiders:
        client = _client(person)
        for name in ("page", "csv"):
            assert client.get(_urls(shared)[name]).status_code == 404, (person, name)


def test_withheld_comments_never_shown_and_back_after_share_again(world):
    shared = world.shared
    _rubric, criteria = selectors.criteria_for(shared.nomination)
    second, first = shared.reviews[1], shared.reviews[0]
    hidden_score = second.scores.get(criterion=criteria[2])
    withheld = services.comment_withhold(
        actor=world.staff, review=second, criterion_or_none=criteria[2], reason="Names a deputy."
    )
    services.comment_withhold(
        actor=world.staff, review=first, criterion_or_none=None, reason="Too harsh in tone."
    )
    client = _client(shared.owner)
    html = client.get(_urls(shared)["page"]).content.decode()
    csv_text = client.get(_urls(shared)["csv"]).content.decode()
    hidden = [hidden_score.justification, first.overall_comment]
    for text in hidden:
        assert text not in html
        assert text not in csv_text
    shown = [text for text in shared.counting_texts() if text not in hidden]
    assert len(shown) == 3 * 7 - 2
    assert all(text in html and text in csv_text for text in shown)

    assert services.comment_share_again(actor=world.staff, withheld=withheld) is True
    html = client.get(_urls(shared)["page"]).content.decode()
    assert hidden_score.justification in html
    assert first.overall_comment not in html


# Withholding --------------------------------------------------------------------------


def test_withhold_twice_is_a_clear_refusal_and_every_change_is_audited(world):
    shared = world.shared
    review = shared.reviews[2]
    criterion = review.scores.first().criterion
    services.comment_withhold(
        actor=world.staff, review=review, criterion_or_none=criterion, reason="Names a vendor."
    )
    with pytest.raises(services.ReviewError) as error:
        services.comment_withhold(
            actor=world.staff, review=review, criterion_or_none=criterion, reason="Again."
        )
    assert str(error.value) == (
        f"This comment is already withheld (by {world.staff.full_name}): it is not shared "
        "with the agency."
    )
    row = WithheldComment.objects.get()
    assert (row.review, row.criterion, row.reason, row.withheld_by) == (
        review,
        criterion,
        "Names a vendor.",
        world.staff,
    )
    assert services.comment_share_again(actor=world.staff, withheld=row) is True
    assert services.comment_share_again(actor=world.staff, withheld=row) is False
    assert not WithheldComment.objects.exists()
    what = f"the comment on “{criterion.name}” of review {review.pk}"
    assert helpers.events(shared.nomination, "comment_withheld", "comment_shared_again") == [
        ("comment_withheld", "", "", f"Withheld {what}: Names a vendor."),
        (
            "comment_shared_again",
            "",
            "",
            f"Shared {what} again; it had been withheld: Names a vendor.",
        ),
    ]


def test_withhold_refuses_a_blank_reason_and_a_comment_that_is_not_there(world):
    shared = world.shared
    review = shared.reviews[0]
    with pytest.raises(services.ReviewError, match="Say why the comment is withheld"):
        services.comment_withhold(
            actor=world.staff, review=review, criterion_or_none=None, reason="   "
        )
    other = Criterion.objects.filter(rubric__cycle=world.quiet.cycle).first()
    with pytest.raises(services.ReviewError, match="There is no such comment"):
        services.comment_withhold(
            actor=world.staff, review=review, criterion_or_none=other, reason="Off."
        )
    with pytest.raises(services.ReviewError, match="under 2000 characters"):
        services.comment_withhold(
            actor=world.staff, review=review, criterion_or_none=None, reason="x" * 2001
        )
    assert not WithheldComment.objects.exists()
    assert helpers.events(shared.nomination, "comment_withheld") == []


def test_withhold_and_share_again_are_for_staff_only(world):
    shared = world.shared
    review = shared.reviews[0]
    row = services.comment_withhold(
        actor=world.staff, review=review, criterion_or_none=None, reason="Tone."
    )
    cycle = shared.cycle.pk
    staff_urls = [
        ("get", reverse("staff:review-feedback", kwargs={"cycle": cycle})),
        (
            "post",
            reverse("staff:review-feedback-withhold", kwargs={"cycle": cycle, "review": review.pk}),
        ),
        ("post", reverse("staff:review-feedback-share", kwargs={"cycle": cycle, "pk": row.pk})),
    ]
    for person in (shared.owner, shared.reviewers[0]):
        with pytest.raises(PermissionDenied):
            services.comment_withhold(
                actor=person, review=review, criterion_or_none=None, reason="Mine."
            )
        with pytest.raises(PermissionDenied):
            services.comment_share_again(actor=person, withheld=row)
        client = _client(person)
        for method, url in staff_urls:
            response = getattr(client, method)(url, {"reason": "Mine."})
            assert response.status_code == 404, (person, url)
    assert list(WithheldComment.objects.values_list("reason", flat=True)) == ["Tone."]


def test_staff_reads_are_empty_for_anyone_else(world):
    shared = world.shared
    row = services.comment_withhold(
        actor=world.staff, review=shared.reviews[0], criterion_or_none=None, reason="Tone."
    )
    for person in (shared.owner, shared.reviewers[0]):
        assert not selectors.feedback_nominations_for_staff(person, shared.cycle).exists()
        assert selectors.withheld_for_staff(person, shared.cycle, row.pk) is None
        with pytest.raises(Http404):
            selectors.feedback_review_get_for_staff(person, shared.cycle, shared.reviews[0].pk)
    assert list(selectors.feedback_nominations_for_staff(world.staff, shared.cycle)) == [
        shared.nomination
    ]
    assert selectors.withheld_for_staff(world.staff, shared.cycle, row.pk) == row
    # Another cycle's review or withheld comment is not this cycle's.
    assert selectors.withheld_for_staff(world.staff, world.quiet.cycle, row.pk) is None
    with pytest.raises(Http404):
        selectors.feedback_review_get_for_staff(world.staff, world.quiet.cycle, row.review_id)


# The staff page -----------------------------------------------------------------------


def _staff_page(world, cycle, **query):
    url = reverse("staff:review-feedback", kwargs={"cycle": cycle.pk})
    response = _client(world.staff).get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_page_lists_every_comment_that_would_be_shared(world):
    shared = world.shared
    review = shared.reviews[1]
    services.comment_withhold(
        actor=world.staff, review=review, criterion_or_none=None, reason="Mentions a lawsuit."
    )
    html = _staff_page(world, shared.cycle)
    assert all(text in html for text in shared.counting_texts())
    assert [text for text in shared.conflicted_texts() if text in html] == []
    assert "The agency reads the comments not withheld now" in html
    assert "Reason: Mentions a lawsuit." in html
    assert html.count(">Share again<") == 1
    assert html.count("<summary>Withhold<") == 3 * 7 - 1
    assert "21 comments, 1 withheld" in html
    assert "Feedback to agencies</a>" in html  # the review navigation names the page
    assert "does not share reviewers' comments" in _staff_page(world, world.quiet.cycle)
    assert "Not shared yet" in _staff_page(world, world.waiting.cycle)
    other = factories.CategoryFactory(cycle=shared.cycle)
    assert "has a submitted review yet" in _staff_page(world, shared.cycle, category=other.pk)


def _posted(client, url, data=None):
    """(where the POST sent the browser, the message it added) without rendering the page
    (which would show, and so clear, the messages: unread ones pile up, its own is last)."""
    response = client.post(url, data or {})
    assert response.status_code == 302
    return response["Location"], [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_staff_withhold_and_share_again_through_the_page(world):
    shared = world.shared
    review = shared.reviews[0]
    criterion = review.scores.order_by("pk").first().criterion
    page = reverse("staff:review-feedback", kwargs={"cycle": shared.cycle.pk})
    withhold = reverse(
        "staff:review-feedback-withhold", kwargs={"cycle": shared.cycle.pk, "review": review.pk}
    )
    client = _client(world.staff)
    anchor = f"#nomination-{shared.nomination.pk}"
    back = f"{page}?page=1{anchor}"
    data = {"criterion": str(criterion.pk), "reason": "Names an officer.", "next": back}

    assert _posted(client, withhold, data) == (
        back,
        f"The comment on “{criterion.name}” is withheld: the agency will not read it.",
    )
    row = WithheldComment.objects.get()
    assert (row.criterion, row.reason) == (criterion, "Names an officer.")
    _where, again = _posted(client, withhold, data)
    assert again.startswith(
        f"The comment on “{criterion.name}” was not withheld: This comment is already withheld"
    )
    refused = "The overall comment was not withheld: Say why the comment is withheld: the"
    assert _posted(client, withhold, {"reason": " "}) == (
        page + anchor,
        f"{refused} reason is kept for staff.",
    )
    assert WithheldComment.objects.count() == 1

    share_url = reverse(
        "staff:review-feedback-share", kwargs={"cycle": shared.cycle.pk, "pk": row.pk}
    )
    assert _posted(client, share_url, {"next": back}) == (
        back,
        "The comment is shared with the agency again.",
    )
    assert _posted(client, share_url) == (page, "That comment is shared with the agency already.")
    assert not WithheldComment.objects.exists()
    assert client.post(withhold, {**data, "criterion": "999999"}).status_code == 404


def test_staff_page_queries_do_not_grow_with_nominations_and_reviews(world):
    """One nomination with three counting reviews, or four nominations: the same queries."""
    one = world.shared
    services.comment_withhold(
        actor=world.staff, review=one.reviews[0], criterion_or_none=None, reason="Tone."
    )
    ranked_review = (
        selectors.counting_reviews_qs().filter(assignment__nomination=world.ranked[0]).get()
    )
    services.comment_withhold(
        actor=world.staff, review=ranked_review, criterion_or_none=None, reason="Tone."
    )
    client = _client(world.staff)
    counts = []
    for cycle in (one.cycle, world.ranked_cycle):
        url = reverse("staff:review-feedback", kwargs={"cycle": cycle.pk})
        client.get(url)  # the session and the content types, read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_page_on_a_policy_not_stored_yet_says_nothing_is_shared(world):
    ReviewPolicy.objects.filter(cycle=world.shared.cycle).delete()
    html = _staff_page(world, world.shared.cycle)
    assert "does not share reviewers' comments" in html
    assert "Not shared: the cycle does not share feedback." in html
