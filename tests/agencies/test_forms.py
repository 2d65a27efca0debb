"""The agency profile form: what it accepts, normalises and refuses."""

import pytest

from dz_awards.agencies.forms import AgencyForm
from tests.factories import AgencyFactory
from tests.factories import agency_profile_form_data as profile

ORI_MESSAGE = (
    "An ORI is nine characters: two letters for the state, then seven letters or digits "
    "(for example VA0290000)."
)


@pytest.mark.django_db
def test_agency_form_valid_profile_cleans_every_field():
    """A complete profile is valid and cleans to typed values."""
    form = AgencyForm(data=profile())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sworn_officers"] == 142
    assert form.cleaned_data["civilian_staff"] == 38
    assert form.cleaned_data["ori"] == "OH0770100"


@pytest.mark.django_db
def test_agency_form_fields_exclude_verification_and_ownership():
    """Verification, ownership and identity are never fields of the agency-facing form."""
    assert set(AgencyForm().fields) == {
        "name",
        "agency_type",
        "state",
        "city",
        "sworn_officers",
        "civilian_staff",
        "ori",
        "website",
        "contact_name",
        "contact_title",
        "contact_email",
        "contact_phone",
    }


@pytest.mark.django_db
def test_agency_form_name_collapses_whitespace():
    """Runs of spaces in the name become single spaces."""
    form = AgencyForm(data=profile(name="  Riverton   Police  Department "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Riverton Police Department"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("oh0770100", "OH0770100"),
        ("  oh0770100  ", "OH0770100"),
        ("OH 0770100", "OH0770100"),
        ("oh 077 0100", "OH0770100"),
        ("", ""),
    ],
)
def test_agency_form_ori_lowercase_and_spaces_normalised(typed, stored):
    """An ORI typed in lowercase or with spaces is stored as nine upper-case characters."""
    form = AgencyForm(data=profile(ori=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ori"] == stored


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["VA029000", "9A0290000", "VA-290000", "VA029000!", "VA029 000"])
def test_agency_form_ori_wrong_shape_rejected_with_clear_message(typed):
    """An ORI that is not two letters and seven letters or digits is refused, saying why."""
    form = AgencyForm(data=profile(ori=typed))
    assert not form.is_valid()
    assert form.errors["ori"] == [ORI_MESSAGE]


@pytest.mark.django_db
def test_agency_form_duplicate_ori_rejected_with_form_error():
    """An ORI another agency already uses is a form error naming the ORI field."""
    AgencyFactory(ori="OH0770100")
    form = AgencyForm(data=profile(ori="oh0770100"))
    assert not form.is_valid()
    assert form.errors == {"ori": ["Another agency already uses this ORI."]}


@pytest.mark.django_db
def test_agency_form_blank_ori_may_repeat():
    """ORI is optional: any number of agencies may leave it blank."""
    AgencyFactory(ori="")
    AgencyFactory(ori="")
    form = AgencyForm(data=profile(ori=""))
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_agency_form_editing_keeps_own_ori():
    """Saving an agency with its own ORI unchanged is not a duplicate."""
    agency = AgencyFactory(ori="OH0770100")
    form = AgencyForm(data=profile(ori="OH0770100"), instance=agency)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-3"])
def test_agency_form_sworn_officers_below_one_rejected(value):
    """An agency has at least one sworn officer."""
    form = AgencyForm(data=profile(sworn_officers=value))
    assert not form.is_valid()
    assert list(form.errors) == ["sworn_officers"]


@pytest.mark.django_db
def test_agency_form_sworn_officers_zero_message():
    """Zero sworn officers is refused with the minimum stated."""
    form = AgencyForm(data=profile(sworn_officers="0"))
    assert form.errors["sworn_officers"] == ["Ensure this value is greater than or equal to 1."]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["XX", "va", "Virginia", ""])
def test_agency_form_state_outside_list_rejected(state):
    """The state must be one of the listed postal codes."""
    form = AgencyForm(data=profile(state=state))
    assert not form.is_valid()
    assert list(form.errors) == ["state"]


@pytest.mark.django_db
@pytest.mark.parametrize("agency_type", ["police", "Municipal police", ""])
def test_agency_form_type_outside_list_rejected(agency_type):
    """The type of agency must be one of the listed types."""
    form = AgencyForm(data=profile(agency_type=agency_type))
    assert not form.is_valid()
    assert list(form.errors) == ["agency_type"]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["DC", "PR", "GU", "VI", "AS", "MP", "WY"])
def test_agency_form_state_accepts_dc_and_territories(state):
    """DC and the territories are valid places for an agency."""
    form = AgencyForm(data=profile(state=state))
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "website",
    [
        "ftp://riverton.example.org/",
        "ftps://riverton.example.org/",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "mailto:chief@example.org",
    ],
)
def test_agency_form_website_other_scheme_rejected(website):
    """The website must be an http or https address."""
    form = AgencyForm(data=profile(website=website))
    assert not form.is_valid()
    assert list(form.errors) == ["website"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://riverton.example.org/", "https://riverton.example.org/"),
        ("http://riverton.example.org/", "http://riverton.example.org/"),
        ("riverton.example.org", "https://riverton.example.org"),
        ("", ""),
    ],
)
def test_agency_form_website_http_or_https_accepted(typed, stored):
    """http and https addresses are accepted; a bare host is taken as https."""
    form = AgencyForm(data=profile(website=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == stored


@pytest.mark.django_db
def test_agency_form_ori_ten_characters_rejected_with_length():
    """Ten characters after removing spaces is too long, and the message says so."""
    form = AgencyForm(data=profile(ori="VA02900000"))
    assert form.errors["ori"] == ["Ensure this value has at most 9 characters (it has 10)."]


@pytest.mark.django_db
def test_agency_form_ori_input_lets_spaces_be_typed():
    """The ORI input has no maxlength, so a browser does not cut "VA 0290000" short."""
    html = str(AgencyForm()["ori"])
    assert "maxlength" not in html


@pytest.mark.django_db
def test_agency_form_website_ftp_message():
    """A non-web address is refused with a message naming the schemes that work."""
    form = AgencyForm(data=profile(website="ftp://riverton.example.org/"))
    assert form.errors["website"] == ["Enter a web address that starts with https:// or http://."]
