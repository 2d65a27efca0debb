"""The library demo: imported history and last year's profiles, one at each lifecycle step;
and the demo's audit trail, which `audit_verify` checks.

The module's tests share one demo world (see tests/demo/worlds.py), loaded with
the tasks queued at commit run (PDFs rendered, emails delivered), as `make run`
leaves it once its worker has run them.
"""

import io
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import AuditEvent, OutboxEmail
from dz_awards.demo.content.world import DEMO_PASSWORD
from dz_awards.profiles import services
from dz_awards.profiles.enums import ProfileState, size_band
from dz_awards.profiles.models import Profile, ProfileImage, ProfilePdf, ProfileResource, Topic
from tests.demo.worlds import ON_SQLITE_ONLY, run_demo_data, shared_world

pytestmark = ON_SQLITE_ONLY

P = ProfileState


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo once the worker ran what it queued, shared by the module's tests."""
    media_root = tmp_path_factory.mktemp("demo-media")
    with shared_world(django_db_blocker, media_root, run_tasks=True) as world:
        yield world


def library_counts():
    return {
        "profiles": Profile.objects.count(),
        "images": ProfileImage.objects.count(),
        "resources": ProfileResource.objects.count(),
        "pdfs": ProfilePdf.objects.count(),
        "topics": Topic.objects.count(),
        "versions": sorted(Profile.objects.values_list("version", flat=True)),
    }


def test_demo_library_twice_adds_nothing(demo, django_capture_on_commit_callbacks):
    """A second run adds no profile, image, resource, PDF or topic, changes no state and
    queues nothing (no PDF rendered again). Every published profile has its PDF."""
    first = library_counts()
    assert first["pdfs"] == Profile.objects.filter(state=P.PUBLISHED).count()
    states = dict(Profile.objects.values_list("slug", "state"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert run_demo_data() == demo.output
    assert library_counts() == first
    assert dict(Profile.objects.values_list("slug", "state")) == states
    assert not callbacks


def test_demo_library_one_profile_at_each_lifecycle_step(demo):
    """Last year's finalists and winners: every lifecycle state, driven by the services."""
    from_nominations = Profile.objects.filter(nomination__isnull=False)
    states = Counter(from_nominations.values_list("state", flat=True))
    assert set(states) == set(P.values)
    assert states[P.DRAFT] == states[P.PROOF_SENT] == states[P.AGENCY_APPROVED] == 1
    assert states[P.RETRACTED] == 1
    assert states[P.PUBLISHED] >= 2
    staff = get_user_model().objects.get(email="staff@example.org")
    second = get_user_model().objects.get(email="staff2@example.org")
    for profile in from_nominations.exclude(state=P.DRAFT):
        assert profile.prepared_by == staff, profile
        assert profile.key_figures, profile
        assert profile.topics.exists(), profile
        assert profile.images.exists(), profile
    for profile in from_nominations.filter(state__in=[P.PUBLISHED, P.RETRACTED]):
        assert profile.published_by == second, profile
        assert profile.approved_by.memberships.filter(agency=profile.agency).exists()
    retracted = from_nominations.get(state=P.RETRACTED)
    assert retracted.retract_reason
    # The demo agency login has the proof waiting for its approval.
    waiting = from_nominations.get(state=P.PROOF_SENT)
    assert waiting.agency.memberships.filter(user__email="agency@example.org").exists()
    # Proof emails belong to the demo's past: none is left for the worker to print.
    assert not OutboxEmail.objects.filter(
        status=OutboxStatus.PENDING, subject__startswith="Please approve"
    ).exists()


def test_demo_library_published_across_categories_years_states_and_sizes(demo):
    """Published profiles span categories, years, states and size bands, with the import's
    history among them; each has a picture (with sizes) and a current PDF."""
    published = list(Profile.objects.filter(state=P.PUBLISHED))
    assert len({p.category_code for p in published}) >= 3
    assert len({p.year for p in published}) >= 3
    assert len({p.state_code for p in published}) >= 3
    assert len({size_band(p.sworn_officers) for p in published} - {None}) >= 3
    assert len({p.agency_type for p in published}) >= 3
    imported = [p for p in published if p.imported]
    assert len(imported) == 13
    assert all(p.nomination_id is None and p.agency_id is None for p in imported)
    assert ProfileResource.objects.filter(profile__in=imported).exclude(url="").count() >= 13
    for profile in published:
        image = profile.images.get()
        assert image.alt_text
        assert "480" in image.renditions
        with image.file.open("rb") as handle:
            picture = Image.open(io.BytesIO(handle.read()))
            assert picture.format == "JPEG"
            assert picture.size == (960, 540)
        assert profile.pdf.is_current, profile
        with profile.pdf.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        assert 1 <= len(reader.pages) <= 2
        text = " ".join(page.extract_text() for page in reader.pages)
        assert profile.agency_name.split()[0] in text


def test_demo_library_second_staff_login_is_printed_and_can_publish(demo):
    """staff2 signs in with the demo password and publishes the proof the agency approved."""
    assert f"demo login: staff staff2@example.org {DEMO_PASSWORD}" in demo.output.splitlines()
    approved = Profile.objects.get(state=P.AGENCY_APPROVED)
    request = RequestFactory().post("/accounts/login/")
    second = authenticate(request, username="staff2@example.org", password=DEMO_PASSWORD)
    assert second is not None
    assert second.is_staff
    services.profile_publish(actor=second, profile=approved)
    approved.refresh_from_db()
    assert approved.state == P.PUBLISHED
    response = Client().get(approved.get_absolute_url())
    assert response.status_code == 200
    assert approved.title in response.content.decode()


# The audit trail of the demo (once its worker ran): `audit_verify` passes on the whole
# trail, and names an event altered or removed in the database.


def verify():
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def middle_event():
    """An event in the middle of the trail, by id."""
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    return AuditEvent.objects.get(pk=ids[len(ids) // 2])


def test_audit_verify_demo_trail_verifies(demo):
    count = AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    assert count > 50
    assert verify() == f"{count} audit events verify. Head hash: {head}\n"


def test_audit_verify_demo_event_altered_is_named(demo):
    event = middle_event()
    AuditEvent.objects.filter(pk=event.pk).update(message=event.message + " (edited)")
    when = timezone.localtime(event.created_at).isoformat(timespec="seconds")
    before = AuditEvent.objects.filter(id__lt=event.pk).count()

    with pytest.raises(CommandError) as raised:
        verify()

    assert str(raised.value) == (
        f"Audit event {event.pk} ({when}, {event.action}) does not match: its content no "
        f"longer matches its hash (it was altered). {before} events before it verify."
    )


def test_audit_verify_demo_event_deleted_names_the_next(demo):
    event = middle_event()
    following = AuditEvent.objects.filter(id__gt=event.pk).order_by("id").first()
    AuditEvent.objects.filter(pk=event.pk).delete()
    when = timezone.localtime(following.created_at).isoformat(timespec="seconds")

    with pytest.raises(CommandError) as raised:
        verify()

    assert str(raised.value).startswith(
        f"Audit event {following.pk} ({when}, {following.action}) does not match: it does "
        "not point at the event before it (an event was removed or altered)."
    )
