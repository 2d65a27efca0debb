"""The agency's certificate section and downloads, and the staff's certificates page."""

import html
import io
import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import Profile
from dz_awards.recognition import services
from dz_awards.recognition.selectors import badge_snippet, certificates_of_cycle
from reviews.enums import Outcome
from tests import factories
from tests.profiles.helpers import message_texts, visible_text
from tests.recognition import helpers
from tests.reviews.helpers import events
from tests.reviews.helpers import reviewer as make_reviewer

ALT = f"Destination Zero 2026 Winner, {helpers.CATEGORY} — {helpers.AGENCY}"
SECTION = "Certificate and badge"
FILE_STEM = "destination-zero-2026-winner"


@pytest.fixture
def place(db):
    return helpers.world()


def _detail(client, nomination):
    return client.get(reverse("nominations:detail", kwargs={"pk": nomination.pk}))


def _downloads(nomination):
    return {
        name: reverse(f"recognition:{name}", kwargs={"pk": nomination.pk})
        for name in ("certificate", "badge", "badge-2x")
    }


def _snippet(response):
    """The HTML the agency is given to paste, as text (the page escapes it)."""
    found = re.search(
        r'<textarea id="badge-snippet"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    return html.unescape(found.group(1))


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# The agency's nomination page and downloads ----------------------------------------------------


def test_nothing_before_release_nor_for_a_nomination_not_selected(place, client):
    declined = helpers.reviewed(place, "Not Selected")
    helpers.release(place, {declined: Outcome.NOT_SELECTED}, draw=True)
    staged = helpers.reviewed(place, "Staged, Not Released")
    helpers.stage(place, {staged: Outcome.WINNER})
    client.force_login(place.member)

    for nomination in (declined, staged):
        response = _detail(client, nomination)
        assert response.status_code == 200
        assert SECTION not in visible_text(response)
        for url in _downloads(nomination).values():
            assert client.get(url).status_code == 404


def test_while_being_prepared_the_page_says_so_and_offers_no_download(place, client):
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=False)
    client.force_login(place.member)

    page = visible_text(_detail(client, nomination))
    assert (
        f"{SECTION} Your program is a winner of the 2026 Destination Zero Awards. Its "
        "certificate and badge are being prepared: reload this page in a minute to download them."
    ) in page
    for url in _downloads(nomination).values():
        assert client.get(url).status_code == 404


def test_a_drawn_certificate_is_downloaded_by_its_agency_and_staff_only(place, client):
    """Members and staff get attachments with the right names and types, never rendered
    by the browser; another agency's owner, a reviewer and any other account get 404,
    and a visitor is sent to sign in. The page links the downloads and gives the
    text alternative and the HTML, linked to the library until the profile is published,
    then to the profile."""
    nomination = helpers.reviewed(place)
    helpers.release(place, {nomination: Outcome.WINNER}, draw=True)
    urls = _downloads(nomination)
    expected = {
        "certificate": ("application/pdf", f"{FILE_STEM}-certificate.pdf"),
        "badge": ("image/png", f"{FILE_STEM}-badge.png"),
        "badge-2x": ("image/png", f"{FILE_STEM}-badge-2x.png"),
    }

    for person in (place.member, place.staff):
        client.force_login(person)
        for name, url in urls.items():
            response = client.get(url)
            content_type, file_name = expected[name]
            assert response.status_code == 200, (person, name)
            assert response["Content-Type"] == content_type
            assert response["Content-Disposition"] == f'attachment; filename="{file_name}"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Security-Policy"] == "sandbox"
            assert response["Cache-Control"] == "private, no-store"
            data = _body(response)
            if name == "certificate":
                assert len(PdfReader(io.BytesIO(data)).pages) == 1
            else:
                with Image.open(io.BytesIO(data)) as image:
                    side = 600 if name == "badge-2x" else 300
                    assert (image.format, image.size) == ("PNG", (side, side))

    outsiders = [
        factories.OwnerFactory().user,  # another agency's owner
        make_reviewer(place.category),
        factories.UserFactory(),
    ]
    for person in outsiders:
        client.force_login(person)
        for url in urls.values():
            assert client.get(url).status_code == 404, person
    client.logout()
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    client.force_login(place.member)
    response = _detail(client, nomination)
    page = visible_text(response)
    assert f"{SECTION} Your program is a winner of the 2026 Destination Zero Awards in " in page
    assert f"Its text alternative, for people who cannot see the picture: {ALT}" in page
    content = response.content.decode()
    for url in urls.values():
        assert f'href="{url}"' in content
    library = "http://127.0.0.1:8000/programs/"
    assert _snippet(response) == (
        f'<a href="{library}"><img src="{FILE_STEM}-badge.png" alt="{ALT}" width="300" '
        'height="300"></a>'
    )
    assert "The badge links to the model program library for now" in page

    profile = Profile.objects.get(nomination=nomination)
    Profile.objects.filter(pk=profile.pk).update(state=ProfileState.PUBLISHED)
    response = _detail(client, nomination)
    assert _snippet(response).startswith(
        f'<a href="http://127.0.0.1:8000/programs/{profile.slug}/"><img '
    )
    assert "The badge links to your program's public profile" in visible_text(response)


def test_the_snippet_escapes_the_names_it_quotes(place):
    """An agency name with quotes and an ampersand cannot break out of the attribute."""
    agency = factories.AgencyFactory(name='Smith & "Jones" <County> Police')
    nomination = helpers.reviewed(place, agency=agency)
    helpers.release(place, {nomination: Outcome.FINALIST}, draw=False)
    snippet = badge_snippet(helpers.certificate_of(nomination)).snippet
    assert (
        'alt="Destination Zero 2026 Finalist, Officer Wellness — Smith &amp; &quot;Jones&quot; '
        '&lt;County&gt; Police" width="300"'
    ) in snippet


# The staff's certificates page ----------------------------------------------------------------


def _list_url(place):
    return reverse("recognition:staff-certificates", kwargs={"cycle": place.cycle.pk})


def _issue(place, titles, outcome=Outcome.FINALIST):
    nominations = [helpers.reviewed(place, title) for title in titles]
    helpers.release(place, dict.fromkeys(nominations, outcome), draw=False)
    return [helpers.certificate_of(n) for n in nominations]


def test_the_staff_list_shows_each_certificate_and_is_linked_from_decisions(place, client):
    _issue(place, ["Fitness Coaching for Every Shift"])
    client.force_login(place.staff)

    page = visible_text(client.get(_list_url(place)))
    assert (
        f"Fitness Coaching for Every Shift {helpers.AGENCY} Finalist {helpers.CATEGORY} 1 "
        "Being prepared Why regenerate it?"
    ) in page
    decisions = client.get(reverse("staff:review-decisions", kwargs={"cycle": place.cycle.pk}))
    assert f'href="{_list_url(place)}"' in decisions.content.decode()


def test_the_staff_pages_are_for_staff_only(place, client):
    (certificate,) = _issue(place, ["Fitness Coaching for Every Shift"])
    regenerate = reverse("recognition:staff-regenerate", kwargs={"pk": certificate.pk})
    client.force_login(place.member)
    assert client.get(_list_url(place)).status_code == 404
    assert client.post(regenerate, {"reason": "Wrong."}).status_code == 404
    client.logout()
    assert client.get(_list_url(place)).status_code == 302
    assert helpers.certificate_of(certificate.nomination).version == 1
    assert not certificates_of_cycle(place.member, place.cycle).exists()


def test_the_staff_list_reads_the_same_queries_for_one_or_many(place, client):
    client.force_login(place.staff)
    _issue(place, ["First Program"])
    with CaptureQueriesContext(connection) as one:
        assert client.get(_list_url(place)).status_code == 200
    more = _issue(place, ["Second Program", "Third Program"])
    with TestCase.captureOnCommitCallbacks(execute=False):
        services.certificate_regenerate(actor=place.staff, certificate=more[0], reason="Typo.")
    with CaptureQueriesContext(connection) as many:
        response = client.get(_list_url(place))
    assert "Third Program" in visible_text(response)
    assert len(many) == len(one)


def test_staff_regenerate_from_the_list(place, client):
    (certificate,) = _issue(place, ["Fitness Coaching for Every Shift"])
    url = reverse("recognition:staff-regenerate", kwargs={"pk": certificate.pk})
    client.force_login(place.staff)

    response = client.post(url, {"reason": " "})
    assert response.status_code == 302
    assert message_texts(client.get(response["Location"])) == [
        "Say why the certificate is regenerated."
    ]
    assert helpers.certificate_of(certificate.nomination).version == 1
    response = client.post(url, {"reason": "x" * 501})
    assert message_texts(client.get(response["Location"])) == ["Keep the reason to 500 characters."]
    assert helpers.certificate_of(certificate.nomination).version == 1
    assert client.get(url).status_code == 405

    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(url, {"reason": "The title had a typo."})
    assert response["Location"] == f"{_list_url(place)}#certificate-{certificate.pk}"
    page = client.get(response["Location"])
    (message,) = message_texts(page)
    assert message == (
        "Version 2 of the certificate and badge of “Fitness Coaching for Every Shift” is being "
        "prepared."
    )
    assert f"2 by {place.staff.full_name} Being prepared" in visible_text(page)
    assert events(certificate, "certificate_regenerated")[0][3].endswith(
        "Why: The title had a typo."
    )
