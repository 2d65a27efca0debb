"""The demo's edited email: this year's cycle words its "returned for changes" email itself."""

from dz_awards.cycles.emails import EmailKind
from dz_awards.cycles.models import Cycle, EmailTemplate
from dz_awards.cycles.services import email_template_save

DEMO_RETURNED_SUBJECT = "Please update your nomination: {nomination_title}"
DEMO_RETURNED_BODY = """Hello {recipient_name},

Thank you for nominating "{nomination_title}" for the {cycle_name}. Before it goes to the
Selection Committee, program staff ask {agency_name} to change a few things:

{staff_message}

Edit the nomination and submit it again before {deadline}: {link}

If anything is unclear, answer in the nomination's conversation and we will help.

--
Destination Zero Awards
"""


def load_demo_email_wording(*, cycle: Cycle, staff) -> EmailTemplate:
    """Give `cycle` its own wording of the returned-for-changes email, once.

    Staff may since have changed it on the site: an existing wording is kept.
    """
    existing = EmailTemplate.objects.filter(cycle=cycle, kind=EmailKind.RETURNED).first()
    if existing is not None:
        return existing
    return email_template_save(
        actor=staff,
        cycle=cycle,
        kind=EmailKind.RETURNED,
        subject=DEMO_RETURNED_SUBJECT,
        body=DEMO_RETURNED_BODY,
    )
