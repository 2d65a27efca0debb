"""Releasing decisions sends each outcome in its cycle's own wording, when it has one."""

import pytest
from django.core import mail
from django.urls import reverse

from dz_awards.core.services import site_url
from dz_awards.cycles.emails import EmailKind
from dz_awards.cycles.services import email_template_save
from dz_awards.nominations.enums import NominationState as S
from dz_awards.nominations.models import Nomination
from reviews import services
from reviews.enums import Outcome
from reviews.models import ReviewPolicy
from tests import factories
from tests.reviews import helpers


@pytest.mark.parametrize("shares", [False, True])
def test_release_uses_the_outcome_wording_of_the_cycle(staff, cycle, category, phase, shares):
    """Its placeholders filled in, {feedback_link} too: the feedback's address when the
    cycle shares feedback, nothing when it does not."""
    ReviewPolicy.objects.create(cycle=cycle, share_feedback=shares)
    email_template_save(
        actor=staff,
        cycle=cycle,
        kind=EmailKind.OUTCOME_WINNER,
        subject="You won: {nomination_title}",
        body="{agency_name} wins {category}.{feedback_link}",
    )
    agency = helpers.identified_agency()
    owner = factories.OwnerFactory(agency=agency).user
    nomination = helpers.ready_nomination(staff, category=category, agency=agency)
    Nomination.objects.filter(pk=nomination.pk).update(state=S.FINALIST)
    services.decision_stage(actor=staff, nomination=nomination, outcome=Outcome.WINNER)
    mail.outbox.clear()
    with helpers.on_commit():
        services.decisions_release(actor=staff, cycle=cycle)
    feedback = reverse("reviews:feedback", kwargs={"pk": nomination.pk})
    body = f"{agency.name} wins {category.label}.{site_url(feedback) if shares else ''}"
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        ([owner.email], f"You won: {nomination.title}", body)
    ]
