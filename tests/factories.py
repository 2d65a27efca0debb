"""Factories for every model. Tests build their world with these, nothing else."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from dz_awards.agencies.enums import AgencyType, MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.cycles.models import Category, Cycle

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


class StaffFactory(UserFactory):
    is_staff = True


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
