"""The agency's nomination pages: submitting, withdrawing, starting from a previous
nomination, and the dashboard. Editing and autosave are in `test_views_agency_editing`,
the evidence page in `test_views_agency_evidence`."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dz_awards.nominations import services
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from tests import factories
from tests.nominations.view_helpers import add_pdf, database_state, submitted
from tests.nominations.view_helpers import audit_trail as _events
from tests.nominations.view_helpers import nomination_url as _url
from tests.nominations.view_helpers import page_html as _page

S = NominationState


# The submit page -------------------------------------------------------------------------


def test_submit_page_lists_every_problem_as_link_to_its_field(member_client, draft):
    """Every missing answer is listed, each linking to its control on the edit form."""
    Nomination.objects.filter(pk=draft.pk).update(
        summary="", participation="", head_attestation=False, outcomes=[], head_email="not-email"
    )
    html = _page(member_client, _url("submit", draft))
    edit = _url("edit", draft)
    links = re.findall(rf'<a href="{re.escape(edit)}#([\w-]+)">([^<]+)</a>', html)
    assert links == [
        ("id_summary", "Short summary: Answer this question."),
        ("id_participation", "Participation: Say whether participation is mandatory."),
        (
            "id_outcomes-0-metric",
            (
                "Measured outcomes: Give at least one measured outcome with its figures before "
                "and after."
            ),
        ),
        (
            "id_head_email",
            "Agency head&#x27;s email address: Enter an email address like name@agency.gov.",
        ),
        (
            "id_head_attestation",
            (
                "Agency head&#x27;s attestation: The head of the agency must confirm the "
                "nomination before it is submitted."
            ),
        ),
    ]
    assert "5 answers to complete before you can submit" in html
    assert "Submit the nomination</button>" not in html


def test_submit_post_when_incomplete_lists_problems_and_keeps_draft(member_client, draft):
    """Submitting an incomplete draft shows the same linked problems and leaves it a draft."""
    Nomination.objects.filter(pk=draft.pk).update(summary="")
    response = member_client.post(_url("submit", draft))
    html = response.content.decode()
    assert (
        f'<a href="{_url("edit", draft)}#id_summary">Short summary: Answer this question.</a>'
        in (html)
    )
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert not draft.revisions.exists()


# Withdraw --------------------------------------------------------------------------------


def test_withdraw_without_confirmation_is_refused(member_client, member, agency):
    """Withdrawing needs the confirmation box: without it nothing changes."""
    nomination = submitted(member, agency=agency)
    before = database_state()
    response = member_client.post(_url("withdraw", nomination), {"reason": "Changed our mind."})
    assert response.status_code == 200
    assert "Tick the box to confirm the withdrawal." in response.content.decode()
    assert database_state() == before


def test_withdraw_with_confirmation_withdraws(member_client, member, agency):
    """With the box ticked the nomination is withdrawn and the reason recorded."""
    nomination = submitted(member, agency=agency)
    response = member_client.post(
        _url("withdraw", nomination), {"reason": "Changed our mind.", "confirm": "on"}
    )
    assert response.url == _url("detail", nomination)
    nomination.refresh_from_db()
    assert nomination.state == S.WITHDRAWN
    assert _events(nomination)[-1] == ("nomination_withdrawn", "Changed our mind.")


# Renewal ---------------------------------------------------------------------------------


@pytest.fixture
def last_year(member, agency, cycle):
    """Last year's nomination of the agency: a winner with a file, in a closed cycle."""
    past = factories.CycleFactory(
        year=cycle.year - 1,
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=330),
    )
    old_category = factories.CategoryFactory(cycle=past, code="peer-support")
    nomination = factories.NominationFactory(
        agency=agency,
        cycle=past,
        category=old_category,
        complete=True,
        title="Peer Support Team",
        summary="Last year's summary.",
        staff_message="Staff note from last year.",
    )
    add_pdf(member, nomination, "old-policy.pdf")
    Nomination.objects.filter(pk=nomination.pk).update(state=S.WINNER)
    nomination.refresh_from_db()
    return nomination


def test_start_from_previous_copies_text_only_into_current_cycle(
    member_client, member, cycle, last_year
):
    """Renewal copies the answers into a new draft of this cycle, linked and re-categorised."""
    factories.CategoryFactory(cycle=cycle, code="other")
    new_category = factories.CategoryFactory(cycle=cycle, code="peer-support")
    page = _page(member_client, reverse("nominations:start"))
    assert "Start from a previous nomination" in page
    assert (
        f'<option value="{last_year.pk}">Peer Support Team ({last_year.cycle.year})</option>'
        in (page)
    )

    response = member_client.post(
        reverse("nominations:start"), {"start": "renew", "previous": str(last_year.pk)}
    )
    renewal = Nomination.objects.exclude(pk=last_year.pk).get()
    assert response.url == _url("edit", renewal)
    assert (renewal.cycle, renewal.category, renewal.previous, renewal.agency) == (
        cycle,
        new_category,
        last_year,
        last_year.agency,
    )
    assert (renewal.state, renewal.head_attestation, renewal.staff_message) == (
        S.DRAFT,
        False,
        "",
    )
    assert renewal.evidence.count() == 0
    assert renewal.revisions.count() == 0
    for name in ("title", "summary", "problem", "goals", "outcomes", "start_date", "head_name"):
        assert getattr(renewal, name) == getattr(last_year, name)
    assert last_year.head_attestation is True
    assert [a for a, _m in _events(renewal)] == ["nomination_created", "nomination_renewed"]


def test_start_from_previous_of_another_agency_is_refused(member_client, cycle, last_year):
    """A nomination of another agency is not offered and cannot be posted."""
    foreign = factories.NominationFactory(cycle=last_year.cycle, title="Foreign Program")
    page = _page(member_client, reverse("nominations:start"))
    assert "Foreign Program" not in page
    response = member_client.post(
        reverse("nominations:start"), {"start": "renew", "previous": str(foreign.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Nomination.objects.count() == 2


def test_start_new_with_another_agency_reshows_the_form_with_an_error(
    member_client, agency, last_year
):
    """Starting a nomination for an agency one is not a member of is refused on the form."""
    foreign = factories.AgencyFactory()
    response = member_client.post(
        reverse("nominations:start"), {"start": "new", "agency": str(foreign.pk), "title": "X"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert "Start from a previous nomination" in response.content.decode()
    assert list(Nomination.objects.all()) == [last_year]


# The dashboard ---------------------------------------------------------------------------


def test_dashboard_shows_each_nomination_with_badge_next_step_and_timeline(
    member_client, member, agency, cycle, category
):
    """Each nomination appears with its state badge, its next step and its timeline."""
    draft = services.nomination_create(
        user=member, agency=agency, cycle=cycle, category=category, title="Drafted Program"
    )
    sent = submitted(member, agency=agency, cycle=cycle, category=category, title="Sent Program")
    html = _page(member_client, reverse("portal:dashboard"))

    def item(nomination):
        match = re.search(
            rf'<li class="mb-3">\s*<a href="{nomination.get_absolute_url()}">'
            rf"{nomination.title}</a>(.*?)</li>\s*(?=<li class=\"mb-3\">|</ul>)",
            html,
            re.S,
        )
        assert match, nomination.title
        return match.group(1)

    drafted = item(draft)
    assert "Status: </span>Draft</span>" in drafted
    assert "text-bg-secondary" in drafted
    assert "Next: Finish the answers and submit before the deadline." in drafted
    assert f'href="{_url("edit", draft)}"' in drafted
    assert re.findall(r"· ([A-Z][\w ]+) by ", drafted) == ["Nomination created"]

    sent_item = item(sent)
    assert "Status: </span>Submitted</span>" in sent_item
    assert "text-bg-primary" in sent_item
    assert "Next: Nothing to do: program staff are reading your submission." in sent_item
    assert f'href="{_url("edit", sent)}"' not in sent_item
    assert re.findall(r"· ([A-Z][\w ]+) by ", sent_item) == [
        "Evidence added",
        "Nomination submitted",
    ]
