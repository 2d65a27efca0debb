"""The world of .ci/two_servers.py, made in the worker's directory (`manage.py shell`).

With the project's own factories and services: an agency's member with a draft,
program staff with an authenticator device whose key the check is told, a
category with two winners' places, one already held by a staged winner, and two
submitted nominations, reviewed, for the other; and an imported past program,
whose PDF the worker renders. It prints one line, "WORLD " and what the check
needs as JSON.
"""

import json

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.agencies.enums import AgencyType
from dz_awards.nominations.enums import NominationState
from dz_awards.nominations.models import Nomination
from dz_awards.profiles.enums import Award
from dz_awards.profiles.services.imports import ImportedProgram, profile_import
from reviews import services as review_services
from reviews.enums import Outcome
from tests import factories

member = factories.UserFactory(full_name="Avery Quinn-Marlow", email="avery@example.org")
agency = factories.OwnerFactory(user=member).agency
cycle = factories.CycleFactory()
category = factories.CategoryFactory(cycle=cycle, winners=2)
draft = factories.NominationFactory(agency=agency, cycle=cycle, category=category)
staff = factories.StaffFactory(full_name="Sasha Okafor-Lind", email="sasha@example.org")
device = TOTPDevice.objects.get(user=staff, confirmed=True)


def reviewed():
    nomination = factories.submitted_nomination(cycle=cycle, category=category)
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.REVIEWED)
    return Nomination.objects.get(pk=nomination.pk)


holder, first, second = reviewed(), reviewed(), reviewed()
review_services.decision_stage(actor=staff, nomination=holder, outcome=Outcome.WINNER)
profile = profile_import(
    actor=None,
    data=ImportedProgram(
        year=2023,
        category_code="wellness",
        category_label="Officer Wellness",
        award=Award.WINNER,
        agency_name="Riverton Police Department",
        city="Riverton",
        state_code="OH",
        agency_type=AgencyType.MUNICIPAL,
        sworn_officers=142,
        title="Peer support within a day of every critical incident",
        summary="Fourteen trained peers reach every officer within 24 hours.",
        resources=(("Program guide", "https://riverton.example.org/peer-support"),),
    ),
)
print(
    "WORLD "
    + json.dumps(
        {
            "member": {
                "email": member.email,
                "name": member.full_name,
                "password": factories.PASSWORD,
            },
            "staff": {
                "email": staff.email,
                "name": staff.full_name,
                "password": factories.PASSWORD,
                "key": device.key,
                "step": device.step,
                "t0": device.t0,
                "digits": device.digits,
            },
            "evidence_url": reverse("nominations:evidence", kwargs={"pk": draft.pk}),
            "decisions_url": reverse("staff:review-decisions", kwargs={"cycle": cycle.pk}),
            "candidates": [
                {"pk": str(n.pk), "url": reverse("staff:nomination-decision", kwargs={"pk": n.pk})}
                for n in (first, second)
            ],
            "holder": str(holder.pk),
            "pdf_url": reverse("profiles:pdf", kwargs={"slug": profile.slug}),
        }
    )
)
