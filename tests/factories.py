"""Factories for every model. Tests build their world with these, nothing else."""

import time
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import NominationState, Participation
from dz_awards.nominations.models import Nomination, NominationRevision

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 factory-boy passes the object
        if create:
            obj.save()

    @factory.post_generation
    def two_factor_device(obj, create, extracted, **kwargs):  # noqa: N805 as above
        """Program staff and superusers get a confirmed authenticator device, as they must have.

        `two_factor_device=False` leaves it out (a staff member before enrolment);
        `two_factor_device=True` gives one to anyone (a reviewer who turned it on).
        """
        wanted = extracted if extracted is not None else (obj.is_staff or obj.is_superuser)
        if create and wanted:
            TOTPDevice.objects.create(user=obj, name="Authenticator app", confirmed=True)


class StaffFactory(UserFactory):
    is_staff = True


def totp_code(user_or_device):
    """The code a person's authenticator app shows now, as they would type it.

    Given a person, from their confirmed device; given a device (one being set
    up), from it. A device accepts each 30-second step once and tolerates one
    step of clock difference: a second sign-in within the same step types the
    next step's code, as an app would show a moment later.
    """
    if isinstance(user_or_device, TOTPDevice):
        device = TOTPDevice.objects.get(pk=user_or_device.pk)
    else:
        device = TOTPDevice.objects.get(user=user_or_device, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Town {n} Police Department")
    agency_type = AgencyType.MUNICIPAL
    state = "VA"
    city = factory.Sequence(lambda n: f"Town {n}")
    sworn_officers = 48
    contact_name = "Chief Jordan Smith"
    contact_email = factory.Sequence(lambda n: f"chief{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
    status = MembershipStatus.APPROVED


class OwnerFactory(MembershipFactory):
    role = MembershipRole.OWNER


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle open now: opened 30 days ago, closes in 30 days."""

    class Meta:
        model = Cycle
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2030 + n)
    name = factory.LazyAttribute(lambda o: f"{o.year} Destination Zero Awards")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    cycle = factory.SubFactory(CycleFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    label = factory.Sequence(lambda n: f"Category {n}")
    description = "Programs that keep officers safe."
    judging_focus = "Measurable results."


def agency_profile_form_data(**changes):
    """A complete, valid agency profile as a browser posts it (strings, choice values)."""
    return {
        "name": "Riverton Police Department",
        "agency_type": AgencyType.MUNICIPAL,
        "state": "OH",
        "city": "Riverton",
        "sworn_officers": "142",
        "civilian_staff": "38",
        "ori": "OH0770100",
        "website": "https://riverton.example.org/",
        "contact_name": "Sgt. Alex Kim",
        "contact_title": "Wellness Coordinator",
        "contact_email": "alex.kim@example.org",
        "contact_phone": "+1 555 0100",
        **changes,
    }


def complete_nomination_content(**changes):
    """Every answer a nomination needs to be submitted, as model values."""
    return {
        "title": "Peer Support and Early Warning Program",
        "start_date": timezone.localdate() - timedelta(days=800),
        "participation": Participation.VOLUNTARY,
        "summary": "Trained peers reach officers after critical incidents within 24 hours.",
        "problem": "Officers exposed to critical incidents rarely asked for help.",
        "data_before": "Eleven officers left for stress-related reasons in 2021.",
        "description": "A team of 14 trained peers contacts every officer after an incident.",
        "implementation": "Peers were selected by colleagues and trained over 40 hours.",
        "partners": "The county mental health board.",
        "policy_training": "General order 3-14 makes a peer contact automatic.",
        "goals": "Contact every officer within 24 hours of a critical incident.",
        "outcomes": [
            {
                "metric": "Stress-related resignations",
                "before": "11",
                "after": "2",
                "period": "2021 vs 2024",
                "source": "Personnel records",
            }
        ],
        "participation_rates": "92% of officers met a peer at least once.",
        "integration": "Part of the incident checklist.",
        "sustainability": "Funded from the operating budget.",
        "cost_funding": "$18,000 a year for training and overtime.",
        "promotion": "Roll-call briefings and a video by the chief.",
        "buy_in": "Peers are chosen by vote of their colleagues.",
        "advice": "Let officers choose the peers.",
        "resources_needed": "A coordinator at 20% time and a training budget.",
        "submitter_name": "Sgt. Alex Kim",
        "submitter_title": "Wellness Coordinator",
        "submitter_email": "alex.kim@example.org",
        "submitter_phone": "+1 555 0100",
        "head_name": "Chief Jordan Smith",
        "head_title": "Chief of Police",
        "head_email": "chief@example.org",
        "head_attestation": True,
        **changes,
    }


class NominationFactory(factory.django.DjangoModelFactory):
    """A draft, empty but for its title. `NominationFactory(complete=True)` fills every answer."""

    class Meta:
        model = Nomination
        skip_postgeneration_save = True

    class Params:
        complete = factory.Trait(
            **{k: v for k, v in complete_nomination_content().items() if k != "start_date"},
            start_date=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=800)),
        )

    agency = factory.SubFactory(AgencyFactory)
    cycle = factory.SubFactory(CycleFactory)
    category = factory.SubFactory(CategoryFactory, cycle=factory.SelfAttribute("..cycle"))
    title = factory.Sequence(lambda n: f"Officer Wellness Program {n}")
    state = NominationState.DRAFT


class NominationRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominationRevision

    nomination = factory.SubFactory(NominationFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.LazyAttribute(lambda o: {"title": o.nomination.title})


def submitted_nomination(**kwargs):
    """A complete nomination in SUBMITTED with its revision 1, as the submit service leaves it."""
    nomination = NominationFactory(
        complete=True, state=NominationState.SUBMITTED, submitted_at=timezone.now(), **kwargs
    )
    NominationRevisionFactory(nomination=nomination, number=1, content={"title": nomination.title})
    return nomination
