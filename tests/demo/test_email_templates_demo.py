"""The demo's edited email: the open cycle words its returned-for-changes email itself."""

import pytest

from dz_awards.core.placeholders import placeholder_problems
from dz_awards.cycles.emails import DEFAULTS, EmailKind
from dz_awards.cycles.models import EmailTemplate
from dz_awards.demo.loaders.emails import load_demo_email_wording
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_wording_is_saved_once_and_kept_when_staff_change_it(staff):
    cycle = factories.CycleFactory()
    first = load_demo_email_wording(cycle=cycle, staff=staff)
    assert (first.kind, first.updated_by) == (EmailKind.RETURNED, staff)
    assert first.body != DEFAULTS[EmailKind.RETURNED].starting_body()
    assert placeholder_problems(first.body, DEFAULTS[EmailKind.RETURNED].placeholders) == []
    EmailTemplate.objects.filter(pk=first.pk).update(subject="Changed by staff")
    again = load_demo_email_wording(cycle=cycle, staff=staff)
    assert (again.pk, again.subject) == (first.pk, "Changed by staff")
