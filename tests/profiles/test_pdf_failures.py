"""A PDF that cannot be made is recorded for staff, who can have it made again."""

import pytest
from django.urls import reverse

from dz_awards.core.models import AuditEvent
from dz_awards.profiles import pdf, services
from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile, ProfilePdf
from dz_awards.profiles.selectors import pdf_status
from tests import factories
from tests.profiles.factories import ProfileFactory


def _failing_render(profile):
    raise pdf.PdfRenderError("The PDF took longer than 30 seconds and was stopped.")


@pytest.fixture
def failed(db, monkeypatch):
    profile = ProfileFactory()
    monkeypatch.setattr(pdf, "render", _failing_render)
    with pytest.raises(pdf.PdfRenderError):
        services.profile_render_pdf(profile.pk)
    monkeypatch.undo()
    return Profile.objects.get(pk=profile.pk)


def test_a_failed_render_is_recorded_for_its_version(failed):
    assert failed.pdf_error == "The PDF took longer than 30 seconds and was stopped."
    assert failed.pdf_error_version == failed.version
    assert pdf_status(failed) == "failed"
    assert not ProfilePdf.objects.filter(profile=failed).exists()


def test_an_edit_after_a_failure_is_rendering_again(failed):
    Profile.objects.filter(pk=failed.pk).update(version=failed.version + 1)
    assert pdf_status(Profile.objects.get(pk=failed.pk)) == "rendering"


def test_staff_make_it_again_and_success_clears_the_error(
    failed, django_capture_on_commit_callbacks
):
    staff = factories.StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_rerender_pdf(actor=staff, profile=failed)
    profile = Profile.objects.get(pk=failed.pk)
    assert profile.pdf_error == ""
    assert profile.pdf_error_version is None
    assert profile.pdf.version == profile.version
    assert pdf_status(profile) == "current"
    assert AuditEvent.objects.filter(action="pdf_render_requested").count() == 1


@pytest.mark.parametrize("state", [s for s in ProfileState if s != ProfileState.PUBLISHED], ids=str)
def test_only_a_published_profile_is_made_again(db, state):
    profile = ProfileFactory(state=state)
    with pytest.raises(services.ProfileError):
        services.profile_rerender_pdf(actor=factories.StaffFactory(), profile=profile)


def test_the_editor_shows_the_failure_and_the_button(failed, client):
    client.force_login(factories.StaffFactory())
    page = client.get(reverse("staff:profile", kwargs={"pk": failed.pk})).content.decode()
    assert "Could not be made" in page
    assert "took longer than 30 seconds" in page
    assert reverse("staff:profile-render-pdf", kwargs={"pk": failed.pk}) in page


def test_non_staff_cannot_ask_for_it(failed, client):
    client.force_login(factories.UserFactory())
    response = client.post(reverse("staff:profile-render-pdf", kwargs={"pk": failed.pk}))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="pdf_render_requested").exists()
