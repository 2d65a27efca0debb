"""List pages cost the same number of queries whatever the number of nominations on them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dz_awards.agencies.enums import MembershipStatus
from dz_awards.agencies.models import Agency
from dz_awards.core.models import AuditEvent
from dz_awards.nominations import services
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from tests import factories
from tests.files import png_upload
from tests.nominations.view_helpers import add_pdf

AGENCIES_PER_WORLD = 4
CYCLES_PER_WORLD = 2


def _build_world(n, capture):
    """An owner of up to 4 agencies with `n` nominations over up to 2 cycles.

    Each nomination went the whole way through the services: a PDF and a processed
    image, submitted, returned with a message, resubmitted, one message from the
    agency. So it has 2 revisions, 2 files, 2 messages and 7 audit events.
    """
    staff = factories.StaffFactory()
    owner = factories.UserFactory()
    agencies = []
    for _ in range(min(n, AGENCIES_PER_WORLD)):
        agency = factories.OwnerFactory(user=owner).agency
        Agency.objects.filter(pk=agency.pk).update(verified_at=timezone.now(), verified_by=staff)
        factories.MembershipFactory(agency=agency)  # a colleague: the agency has several members
        agencies.append(agency)
    factories.MembershipFactory(user=owner, status=MembershipStatus.PENDING)
    cycles = [factories.CycleFactory() for _ in range(min(n, CYCLES_PER_WORLD))]
    for index in range(n):
        category = factories.CategoryFactory(cycle=cycles[index % len(cycles)])
        nomination = factories.NominationFactory(
            agency=agencies[index % len(agencies)],
            cycle=category.cycle,
            category=category,
            complete=True,
        )
        add_pdf(owner, nomination)
        with capture(execute=True):
            services.evidence_add(
                user=owner,
                nomination=nomination,
                upload=png_upload(),
                kind=EvidenceKind.IMAGE,
                alt_text="The peer team.",
            )
        # The image is checked after its upload commits; then the nomination can be submitted.
        with capture(execute=True):
            services.nomination_submit(user=owner, nomination=nomination)
            services.nomination_return_for_changes(
                actor=staff, nomination=nomination, message="Add the 2024 figures."
            )
            services.nomination_resubmit(user=owner, nomination=nomination)
            services.message_post(user=owner, nomination=nomination, body="Figures added.")
    nominations = Nomination.objects.filter(agency__in=agencies)
    assert nominations.count() == n
    assert set(nominations.values_list("state", flat=True)) == {NominationState.SUBMITTED}
    assert Evidence.objects.filter(nomination__in=nominations).count() == 2 * n
    assert not Evidence.objects.exclude(status=EvidenceStatus.READY).exists()
    return owner, staff


def _clear_worlds():
    Nomination.objects.all().delete()
    AuditEvent.objects.all().delete()


def _count_queries(client, user, url):
    """Queries of one GET of `url` by `user`, after a first GET has warmed any caches."""
    client.force_login(user)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _assert_same(one, twenty):
    extra = "\n".join(sql for sql in twenty if sql not in one)
    assert len(twenty) == len(one), f"{len(one)} queries for 1, {len(twenty)} for 20:\n{extra}"


@pytest.mark.django_db
def test_dashboard_query_count_same_for_1_and_20_nominations(
    client, django_capture_on_commit_callbacks
):
    """The agency dashboard costs the same number of queries for 1 nomination as for 20."""
    owner, _staff = _build_world(1, django_capture_on_commit_callbacks)
    response, one = _count_queries(client, owner, reverse("portal:dashboard"))
    assert response.content.decode().count("Next: ") == 1
    _clear_worlds()

    owner, _staff = _build_world(20, django_capture_on_commit_callbacks)
    response, twenty = _count_queries(client, owner, reverse("portal:dashboard"))
    html = response.content.decode()
    assert html.count("Next: ") == 20
    assert html.count("Nomination resubmitted by") == 20
    _assert_same(one, twenty)


@pytest.mark.django_db
def test_staff_list_query_count_same_for_1_and_20_nominations(
    client, django_capture_on_commit_callbacks
):
    """The staff nomination list costs the same number of queries for 1 nomination as for 20."""
    _owner, staff = _build_world(1, django_capture_on_commit_callbacks)
    response, one = _count_queries(client, staff, reverse("staff:nominations"))
    assert len(response.context["page"]) == 1
    _clear_worlds()

    _owner, staff = _build_world(20, django_capture_on_commit_callbacks)
    response, twenty = _count_queries(client, staff, reverse("staff:nominations"))
    assert len(response.context["page"]) == 20
    assert [(n.revision_count, n.evidence_count) for n in response.context["page"]] == [(2, 2)] * 20
    _assert_same(one, twenty)


@pytest.mark.django_db
def test_staff_detail_query_count_same_for_1_and_20_items(
    client, django_capture_on_commit_callbacks
):
    """One nomination's staff page costs the same with 1 file, message and revision as with 20."""
    staff = factories.StaffFactory()

    def build(n):
        owner = factories.OwnerFactory()
        nomination = factories.NominationFactory(agency=owner.agency, complete=True)
        for _ in range(n):
            add_pdf(owner.user, nomination)
        with django_capture_on_commit_callbacks(execute=True):
            services.nomination_submit(user=owner.user, nomination=nomination)
            for _ in range(n - 1):
                services.nomination_return_for_changes(
                    actor=staff, nomination=nomination, message="Again."
                )
                services.nomination_resubmit(user=owner.user, nomination=nomination)
            for _ in range(n):
                services.message_post(user=owner.user, nomination=nomination, body="Hello.")
        return reverse("staff:nomination-detail", kwargs={"pk": nomination.pk})

    response, one = _count_queries(client, staff, build(1))
    assert len(response.context["revisions"]) == 1
    response, twenty = _count_queries(client, staff, build(20))
    assert len(response.context["revisions"]) == 20
    assert len(response.context["evidence"]) == 20
    _assert_same(one, twenty)
