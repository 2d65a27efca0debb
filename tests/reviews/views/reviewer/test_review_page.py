"""The review page (`views.reviewer.review`) as the server renders it: the reviewer's copy
beside the score sheet, the running weighted total, who reads the comments, and what the
page's scripts are given. The scripts themselves are tried in a real browser
(tests/e2e/test_review_sheet.py)."""

import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat

from reviews import services
from reviews.enums import FeedbackPosition
from reviews.models import Review, ReviewPhase, ReviewPolicy
from reviews.views.reviewer.review import RunningTotal, saved_at_text
from tests.reviews.views.reviewer.helpers import REDACTED_TITLE
from tests.reviews.views.reviewer.helpers import no_identity as _no_identity
from tests.reviews.views.reviewer.helpers import review_data as _review_data
from tests.reviews.views.reviewer.helpers import signed_in as _signed_in
from tests.reviews.views.reviewer.helpers import url as _url
from tests.reviews.views.reviewer.helpers import whole as _whole

# Weights that make the total a real weighted mean, with a half to round on the way.
WEIGHTS = ("1.00", "0.60", "2.00", "1.00", "1.00", "1.00")


def _share(world, *, share):
    services.policy_update(
        actor=world.staff,
        cycle=world.cycle,
        guidelines="",
        calibration_example="",
        preferences_due_at=None,
        share_feedback=share,
        feedback_position=FeedbackPosition.BAND,
    )


def test_review_page_shows_the_copy_beside_an_empty_sheet(world):
    """The copy as on the assignment page (summary, redacted text, files, packet) in a
    labelled region reached by keyboard; the sheet with its total, the list of criteria
    and what the scripts need (weights, scale, the autosave address)."""
    row = world.assignments[0]
    response = _signed_in(world.reviewers[0]).get(_url("review", row))
    html = response.content.decode()
    context = response.context

    assert context["policy"].cycle == world.cycle
    assert context["running"] == RunningTotal(total=None, scored=0, criteria=6)
    assert context["autosave"] is True
    assert (
        '<div id="entry-pane" class="review-pane review-pane-entry" tabindex="0" role="region" '
        'aria-label="The entry">'
    ) in html
    assert "A peer team reaches every officer within a day of an incident." in html
    assert "Officers of the agency meet a trained peer within a day." in html
    assert (
        f'<a href="{_url("file", row, evidence=world.evidence.pk)}" download>file-1.pdf</a>' in html
    )
    assert f'<a href="{_url("packet", row)}">Download the packet (PDF)</a>' in html
    assert '<a class="nav-link" href="#sheet-pane" data-pane="sheet-pane">Score sheet</a>' in html
    assert 'href="/static/css/review-sheet.css"' in html
    for script in ("forms", "autosave", "review-form", "review-sheet"):
        assert f'src="/static/js/{script}.js"' in html
    assert f'data-autosave-url="{_url("review-autosave", row)}"' in html
    assert 'data-scale-min="1" data-scale-max="5"' in html
    assert 'aria-live="polite">Not saved yet.</p>' in html
    assert (
        "Weighted total so far: <strong>none yet</strong> on 1 to 5, 0 of 6 criteria scored."
    ) in html
    for criterion in world.criteria:
        assert f'<a href="#criterion-{criterion.pk}">{criterion.name}</a>: ' in html
        assert f'data-criterion="{criterion.pk}" data-weight="1.00"' in html
    assert html.count(">not scored</span>") == 6
    assert f"<title>Review: {REDACTED_TITLE} · Destination Zero Awards</title>" in html
    _no_identity(_whole(response))


def test_review_page_total_is_the_weighted_mean_of_the_scores_so_far(world):
    """After a draft with two scores the sheet shows their weighted mean (3.375, rounded
    half up); submitted, the stored total prints as the sheet's total did."""
    for criterion, weight in zip(world.criteria, WEIGHTS, strict=True):
        criterion.weight = Decimal(weight)
        services.criterion_save(actor=world.staff, criterion=criterion)
    row = world.assignments[0]
    client = _signed_in(world.reviewers[0])
    first, second = world.criteria[:2]
    data = _review_data(world, score="", action="draft")
    data[f"score_{first.pk}"], data[f"score_{second.pk}"] = "3", "4"
    client.post(_url("review", row), data)

    response = client.get(_url("review", row))
    html = response.content.decode()
    assert response.context["running"] == RunningTotal(total=3.375, scored=2, criteria=6)
    assert "Weighted total so far: <strong>3.38</strong> on 1 to 5, 2 of 6 criteria scored." in html
    assert f'<span data-criterion-status="{second.pk}">scored 4</span>' in html
    assert html.count(">not scored</span>") == 4
    assert 'data-weight="0.60"' in html
    review = Review.objects.get(assignment=row)
    assert f'aria-live="polite">Saved at {saved_at_text(review)}. Changes save' in html

    scores = (3, 4, 5, 4, 2, 3)
    data = _review_data(world, version=str(review.version))
    for criterion, score in zip(world.criteria, scores, strict=True):
        data[f"score_{criterion.pk}"] = str(score)
    client.post(_url("review", row), data)
    review.refresh_from_db()
    html = client.get(_url("review", row)).content.decode()
    shown = re.search(r"Weighted total so far: <strong>([\d.]+)</strong>", html).group(1)
    assert shown == floatformat(review.total, 2) == "3.70"
    assert "6 of 6 criteria scored." in html
    # A submitted review saves only when its reviewer presses "Update submitted review".
    assert "data-autosave-url" not in html
    assert "Changes to a submitted review are kept only when you press" in html


SHARED_NOTE = (
    "May be shared with the agency, without your name, after decisions are released; "
    "program staff may withhold it."
)
SHARED_SUMMARY = (
    "after decisions are released, your justifications and your overall comment may be shown "
    "to the agency, without your name. Program staff read them first and may withhold any "
    "comment."
)
STAFF_NOTE = "Seen only by program staff."
STAFF_SUMMARY = (
    "Your justifications and your overall comment are seen only by program staff. They are "
    "not shared with the agency."
)
REVIEWERS_NOTE = (
    "Seen by program staff, and by this nomination's other reviewers once they submit theirs."
)
REVIEWERS_SUMMARY = (
    "Your justifications and your overall comment are seen only by program staff, and by this "
    "nomination's other reviewers once they submit their own review. They are not shared with "
    "the agency."
)


@pytest.mark.parametrize(
    ("share", "show_others", "note", "summary"),
    [
        pytest.param(True, False, SHARED_NOTE, SHARED_SUMMARY, id="shared"),
        pytest.param(False, False, STAFF_NOTE, STAFF_SUMMARY, id="staff-only"),
        pytest.param(False, True, REVIEWERS_NOTE, REVIEWERS_SUMMARY, id="staff-and-reviewers"),
    ],
)
def test_review_page_says_who_reads_the_comments_before_they_are_written(
    world, share, show_others, note, summary
):
    """Beside each justification and the overall comment (tied to the box), and once
    above the sheet; scores, confidence and names are never shared, whatever the cycle."""
    _share(world, share=share)
    ReviewPhase.objects.filter(pk=world.phase.pk).update(show_others=show_others)
    assert ReviewPolicy.objects.get(cycle=world.cycle).share_feedback is share
    html = _signed_in(world.reviewers[0]).get(_url("review", world.assignments[0]))
    html = html.content.decode()
    boxes = [f"id_justification_{c.pk}" for c in world.criteria] + ["id_overall_comment"]
    for box in boxes:
        assert f'<div id="{box}_sharing" class="form-text mt-0 mb-1 sharing-note">{note}' in html
        assert re.search(
            rf'<textarea name="{box[3:]}"[^>]*aria-describedby="[^"]*{box}_sharing', html
        )
    assert html.count(note) == len(boxes)
    assert summary in html
    assert "Your scores, your confidence and your name are never shared with the agency." in html


def test_review_page_read_only_sheet_is_a_region_reached_by_keyboard(world):
    """With no form to tab into, the scrolling sheet itself takes the focus."""
    client = _signed_in(world.reviewers[0])
    client.post(_url("review", world.assignments[0]), _review_data(world))
    ReviewPhase.objects.filter(pk=world.phase.pk).update(reviews_open=False)
    html = client.get(_url("review", world.assignments[0])).content.decode()
    assert (
        '<div id="sheet-pane" class="review-pane review-pane-sheet" role="region" '
        'aria-labelledby="sheet-heading" tabindex="0">'
    ) in html
    assert '<h3 class="h4">Your scores</h3>' in html
    assert 'id="review-form"' not in html


def test_review_page_total_leaves_out_a_posted_score_off_the_scale(world):
    """A refused draft shows again as posted; a value that is no score counts for nothing."""
    first, second = world.criteria[:2]
    data = _review_data(world, score="", action="draft")
    data[f"score_{first.pk}"], data[f"score_{second.pk}"] = "5", "9"
    response = _signed_in(world.reviewers[0]).post(_url("review", world.assignments[0]), data)
    assert response.status_code == 200
    assert response.context["running"] == RunningTotal(total=5.0, scored=1, criteria=6)
    assert f"Score for {second.name}: Choose one of the scores shown." in response.content.decode()


def test_review_page_without_a_rubric_says_so_and_shows_no_sheet(build):
    world = build(open_review=False)
    services.rubric_delete(actor=world.staff, rubric=world.cycle.rubric)
    services.assignment_accept(user=world.reviewers[0], assignment=world.assignments[0])
    response = _signed_in(world.reviewers[0]).get(_url("review", world.assignments[0]))
    assert (response.context["running"], response.context["sheet_rows"]) == (None, [])
    html = response.content.decode()
    assert "There is nothing to score here yet." in html
    assert 'id="review-form"' not in html
