"""The demo world's frame and this year's nominations, on one world the module shares."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Q
from django.test import RequestFactory
from django.utils.html import escape
from PIL import Image
from pypdf import PdfReader

from dz_awards.accounts.enums import PROGRAM_STAFF_GROUP, REVIEWERS_GROUP
from dz_awards.agencies.enums import MembershipRole, MembershipStatus
from dz_awards.agencies.models import Agency, Membership
from dz_awards.core.enums import OutboxStatus
from dz_awards.core.models import OutboxEmail
from dz_awards.core.selectors import audit_events_for
from dz_awards.cycles.models import Cycle
from dz_awards.demo.content.bulk import BULK_AGENCIES, BULK_MESSAGE, BULK_RETURNED
from dz_awards.demo.content.world import LOGINS
from dz_awards.demo.loaders.emails import DEMO_RETURNED_SUBJECT
from dz_awards.demo.loaders.world import demo_cycle_dates
from dz_awards.nominations.enums import EvidenceKind, EvidenceStatus, NominationState
from dz_awards.nominations.models import Evidence, Nomination
from dz_awards.nominations.selectors import timelines
from dz_awards.nominations.snapshots import changes
from dz_awards.nominations.validation import submission_problems
from dz_awards.portal.todos import todos_for
from tests.demo.worlds import ON_SQLITE_ONLY, counts, run_demo_data

pytestmark = ON_SQLITE_ONLY

CATEGORY_NAMES = [
    "General Officer Safety",
    "Officer Traffic Safety",
    "Officer Wellness",
    "Comprehensive Safety",
    "Comprehensive Wellness",
]
LOGIN_LINE = re.compile(r"^demo login: (\S+) (\S+) (\S+)$")
S = NominationState
EASTERN = ZoneInfo("America/New_York")


def eastern(*args):
    return datetime(*args, tzinfo=EASTERN)


RIVERTON_TITLES = [
    "Annual Mental Health Check-ins",
    "Arrive Alive: Seat Belts and Safe Speeds",
    "Peer Support Team",
    "Body Armor Fit and Wear Program",
    "On-Duty Fitness Hour",
]
CEDAR_TITLES = [
    "Rural Crash Reduction Initiative",
    "Safety Culture 360",
    "Stop the Bleed for Citizens",
]
MAIN_AGENCIES = ["Riverton Police Department", "Cedar County Sheriff's Office"]
BULK_OWNERS = {spec.name: spec.owner_email for spec in BULK_AGENCIES}


def nomination(title):
    return Nomination.objects.get(title=title)


def test_demo_data_world_size(demo):
    """The demo world has exactly its people, agencies, cycles, nominations and their trail.

    Last year's review (test_demo_data_reviews.py) adds 9 users, 4 agencies and
    their owners, 17 nominations with 2 files, and their events and emails
    (releasing decisions records a draft profile for each of its 8 finalists and
    winners); the library (test_demo_data_profiles.py) adds the imported history,
    topics and those profiles' lifecycle steps, with their events and proof
    emails. Every account registers and sets its password (three events and one
    email each, but for the reviewers their invitation makes), each agency is
    created by its owner and verified by staff, and a colleague asks to join.
    Each staff login's demo authenticator and backup codes add two events.
    The bulk-returned set adds six owners who each register (three events, one
    email) and create an agency staff verify (two events, one email), and six
    nominations with one revision, one message, three events and two emails each
    (test_demo_data_bulk_returned_set_on_agencies_of_its_own). Staff's wording of
    the returned email and the committee archive add one event each. Feedback to
    agencies adds two: last year's policy shares it, and staff withhold a comment.
    Last year's five winners and three finalists are each issued a certificate (one
    event each). This year's preferences (test_demo_data_preferences.py) add eight:
    three review copies, the window, one conflict and three reviewers' answers.
    The reviewer guidelines (test_demo_data_guidelines.py) add three: each cycle's,
    and the demo reviewer's reading of last year's.
    """
    assert counts() == {
        "users": 15 + 6,
        "agencies": 6 + 6,
        "memberships": 7 + 6,
        "cycles": 2,
        "categories": 10,
        "nominations": 25 + 6,
        "revisions": 24 + 6,
        "evidence": 22,
        "messages": 5 + 6,
        "audit events": 446 + 2 + 6 * (3 + 2) + 6 * 3 + 2 + 8 + 8 + 3,
        "outbox emails": 174 + 6 * 2 + 6 * 2,
        "rubrics": 2,
        "criteria": 12,
    }


def test_demo_data_twice_same_counts(demo):
    """Running demo_data again adds nothing: the world is the same size."""
    first = counts()
    run_demo_data()
    assert counts() == first


def test_demo_data_accounts_and_agencies_made_by_their_services(demo):
    """Accounts register and set their password, agencies are created by their owners and
    verified by staff (Cedar County not), and a colleague asks to join Riverton: each
    through its service, with its audit trail; the emails all that sent are marked sent."""
    users = get_user_model().objects
    riverton = Agency.objects.get(name="Riverton Police Department")
    cedar = Agency.objects.get(name="Cedar County Sheriff's Office")
    owner = users.get(email="agency@example.org")
    waiting = Membership.objects.get(status=MembershipStatus.PENDING)
    trail = {
        "owner": [(e.action, e.actor) for e in audit_events_for(owner).order_by("pk")],
        "riverton": [(e.action, e.actor) for e in audit_events_for(riverton).order_by("pk")],
        "cedar": [(e.action, e.actor) for e in audit_events_for(cedar).order_by("pk")],
        "request": [(e.action, e.actor) for e in audit_events_for(waiting)],
    }
    staff = users.get(email="staff@example.org")
    colleague = users.get(email="officer@example.org")
    assert trail == {
        "owner": [("account_registered", None), ("email_verified", owner), ("password_set", owner)],
        "riverton": [("agency_created", owner), ("agency_verified", staff)],
        "cedar": [("agency_created", users.get(email="sheriff@example.org"))],
        "request": [("membership_requested", colleague)],
    }
    assert (waiting.agency, waiting.user) == (riverton, colleague)
    assert waiting.message == "I run the peer support team and will help with our nomination."
    assert set(
        Agency.objects.exclude(pk=cedar.pk).values_list("verified_by__email", flat=True)
    ) == {"staff@example.org"}
    setup_emails = OutboxEmail.objects.filter(
        Q(key__startswith="set-password:")
        | Q(key__startswith="agency-verified:")
        | Q(key__startswith="join-request:")
    )
    assert setup_emails.count() == 16 + 6 * 2  # the bulk-returned set's owners and agencies
    assert set(setup_emails.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_demo_data_five_named_categories_per_cycle(demo):
    """Each demo cycle has the five Destination Zero categories, in order."""
    for cycle in Cycle.objects.all():
        labels = list(cycle.categories.order_by("position").values_list("label", flat=True))
        assert labels == CATEGORY_NAMES


def test_demo_data_one_cycle_open_now(demo):
    """The newer demo cycle is open now; the older one is closed."""
    current, past = Cycle.objects.order_by("-year")
    assert current.is_open()
    assert not past.is_open()
    assert past.year == current.year - 1


def test_demo_data_prints_one_login_per_role_that_authenticates(demo):
    """One "demo login: <role> <email> <password>" line per role, and each login works."""
    # Staff lines are followed by their second step (tests/accounts/test_two_factor_demo.py).
    lines = [line for line in demo.output.splitlines() if line.startswith("demo login: ")]
    matches = [LOGIN_LINE.match(line) for line in lines]
    assert all(matches), lines
    logins = [m.groups() for m in matches]
    # Two staff logins: the second publishes what the first prepared (two-person rule).
    assert [role for role, _, _ in logins] == ["staff", "staff", "reviewer", "agency"]

    request = RequestFactory().post("/accounts/login/")
    for role, email, password in logins:
        user = authenticate(request, username=email, password=password)
        assert user is not None, role
        assert user.email == email


def test_demo_data_logins_have_their_roles(demo):
    """The staff login is program staff, the reviewer is a reviewer, the agency login owns one."""
    matches = map(LOGIN_LINE.match, demo.output.splitlines())
    logins = {m.group(1): m.group(2) for m in matches if m}
    users = get_user_model().objects
    staff = users.get(email=logins["staff"])
    reviewer = users.get(email=logins["reviewer"])
    agency_user = users.get(email=logins["agency"])
    assert staff.is_staff
    assert staff.groups.filter(name=PROGRAM_STAFF_GROUP).exists()
    assert not reviewer.is_staff
    assert reviewer.groups.filter(name=REVIEWERS_GROUP).exists()
    assert agency_user.memberships.get().role == MembershipRole.OWNER
    assert agency_user.memberships.get().status == MembershipStatus.APPROVED


def test_demo_data_second_run_keeps_changed_password(demo):
    """A demo account whose password was changed keeps it when demo_data runs again."""
    user = get_user_model().objects.get(email="staff@example.org")
    user.set_password("a-new-private-password")
    user.save()
    run_demo_data()
    user.refresh_from_db()
    assert user.check_password("a-new-private-password")


def test_demo_data_every_nomination_state_present(demo):
    """The two demo agencies' nominations cover every state so far, each with its
    revisions; the bulk-returned set adds six returned nominations on agencies of its own."""
    current = Cycle.objects.order_by("-year").first()
    nominations = current.nominations.select_related("agency")
    world = {
        n.title: (n.agency.name, n.state, n.revisions.count())
        for n in nominations.filter(agency__name__in=MAIN_AGENCIES)
    }
    bulk_set = {
        n.title: (n.agency.name, n.state, n.revisions.count())
        for n in nominations.exclude(agency__name__in=MAIN_AGENCIES)
    }
    assert set(nominations.values_list("state", flat=True)) == {
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.WITHDRAWN,
        S.INELIGIBLE,
    }
    assert bulk_set == {title: (agency, S.RETURNED, 1) for agency, title, _code in BULK_RETURNED}
    riverton, cedar = "Riverton Police Department", "Cedar County Sheriff's Office"
    assert world == {
        "Annual Mental Health Check-ins": (riverton, S.DRAFT, 0),
        "Arrive Alive: Seat Belts and Safe Speeds": (riverton, S.SUBMITTED, 1),
        "Peer Support Team": (riverton, S.RETURNED, 1),
        "Body Armor Fit and Wear Program": (riverton, S.SUBMITTED, 2),
        "On-Duty Fitness Hour": (riverton, S.WITHDRAWN, 1),
        "Rural Crash Reduction Initiative": (cedar, S.DRAFT, 0),
        "Safety Culture 360": (cedar, S.SUBMITTED, 1),
        "Stop the Bleed for Citizens": (cedar, S.INELIGIBLE, 1),
    }


def test_demo_data_nominations_use_every_category_of_the_open_cycle(demo):
    """The open cycle's demo nominations use each of its five categories (last year's are
    in test_demo_data_reviews.py)."""
    current = Cycle.objects.order_by("-year").first()
    assert set(Nomination.objects.values_list("cycle", flat=True)) == {
        c.pk for c in Cycle.objects.all()
    }
    used = set(current.nominations.values_list("category__label", flat=True))
    assert used == set(CATEGORY_NAMES)


def test_demo_data_one_half_written_and_one_complete_draft(demo):
    """One draft stops after the need section; the other is ready to submit."""
    half = submission_problems(nomination("Annual Mental Health Check-ins"))
    complete = submission_problems(nomination("Rural Crash Reduction Initiative"))
    assert {p.section for p in half} == {
        "what",
        "results",
        "durability",
        "replicability",
        "contacts",
    }
    assert complete == []


def test_demo_data_returned_nomination_has_staff_message_and_thread(demo):
    """The returned nomination shows staff's request and a reply from each side."""
    returned = nomination("Peer Support Team")
    assert returned.staff_message.startswith("Thank you for this nomination. Before it goes")
    thread = [(m.author.email, m.from_staff, m.body[:20]) for m in returned.messages.all()]
    assert thread == [
        ("staff@example.org", True, returned.staff_message[:20]),
        ("agency@example.org", False, "Thanks, Pat. Who use"),
        ("staff@example.org", True, "Yes, a percentage of"),
    ]


def test_demo_data_resubmitted_revision_two_shows_changes(demo):
    """Revision 2 of the resubmitted nomination differs from revision 1 in text, table and files."""
    resubmitted = nomination("Body Armor Fit and Wear Program")
    first, second = resubmitted.revisions.order_by("number")
    assert [c.label for c in changes(first.content, second.content)] == [
        "Short summary",
        "Data before the program",
        "Measured outcomes",
        "Files",
    ]
    assert len(first.content["outcomes"]) == 1
    assert len(second.content["outcomes"]) == 3


def test_demo_data_audit_trail_follows_the_services(demo):
    """The resubmitted nomination's timeline is the services' own events, in order."""
    resubmitted = nomination("Body Armor Fit and Wear Program")
    events = timelines([resubmitted])[resubmitted.pk]
    assert [(e.action, e.actor.email) for e in events] == [
        ("nomination_created", "agency@example.org"),
        ("evidence_added", "agency@example.org"),
        ("evidence_added", "agency@example.org"),
        ("nomination_submitted", "agency@example.org"),
        ("nomination_returned", "staff2@example.org"),
        ("message_posted", "agency@example.org"),
        ("evidence_added", "agency@example.org"),
        ("evidence_added", "agency@example.org"),
        ("nomination_resubmitted", "agency@example.org"),
    ]


def test_demo_data_withdrawn_and_ineligible_give_reasons(demo):
    """The withdrawal records the agency's reason; the screening the reason staff gave."""
    withdrawn = nomination("On-Duty Fitness Hour")
    ineligible = nomination("Stop the Bleed for Citizens")
    withdrawal = timelines([withdrawn])[withdrawn.pk][-1]
    assert withdrawal.action == "nomination_withdrawn"
    assert withdrawal.message.startswith("The city is folding the fitness hour")
    assert ineligible.staff_message.startswith(
        "These awards recognize programs that protect the agency's own officers"
    )
    assert timelines([ineligible])[ineligible.pk][-1].message == ineligible.staff_message


def test_demo_data_submitted_nominations_have_image_and_pdf(demo):
    """Every nomination of the two demo agencies past draft has an image with alternative
    text and a PDF (the bulk-returned set has none: staff returned it for a letter)."""
    current = Cycle.objects.order_by("-year").first()
    submitted = current.nominations.exclude(state=S.DRAFT).filter(agency__name__in=MAIN_AGENCIES)
    assert submitted.count() == 6
    for each in submitted:
        kinds = set(each.evidence.values_list("kind", flat=True))
        assert EvidenceKind.IMAGE in kinds, each.title
        assert EvidenceKind.DOCUMENT in kinds, each.title
        for image in each.evidence.filter(kind=EvidenceKind.IMAGE):
            assert len(image.alt_text) >= 80, image.original_name


def test_demo_data_images_ready_without_metadata(demo):
    """Every demo image went through the check: ready, re-encoded, no EXIF or text chunks."""
    images = Evidence.objects.filter(kind=EvidenceKind.IMAGE)
    assert images.count() == 11
    for evidence in images:
        assert evidence.status == EvidenceStatus.READY, evidence.original_name
        with evidence.file.open("rb") as stored, Image.open(stored) as image:
            assert image.size == (960, 540)
            assert (evidence.width, evidence.height) == (960, 540)
            assert dict(image.getexif()) == {}
            assert "exif" not in image.info
            assert getattr(image, "text", {}) == {}


def test_demo_data_documents_are_readable_pdfs(demo):
    """Each demo PDF opens and its first page begins with the document's title and agency."""
    current = Cycle.objects.order_by("-year").first()
    documents = (
        Evidence.objects.exclude(kind=EvidenceKind.IMAGE)
        .filter(nomination__cycle=current)
        .select_related("nomination__agency")
    )
    assert documents.count() == 9
    for evidence in documents:
        with evidence.file.open("rb") as stored:
            reader = PdfReader(stored, strict=True)
            lines = reader.pages[0].extract_text().splitlines()
            title = reader.metadata.title
        assert lines[0] == title
        assert lines[1] == evidence.nomination.agency.name


def test_demo_data_agency_login_sees_its_nominations_on_dashboard(demo, client):
    """The demo agency login's dashboard lists its agency's five nominations and no others."""
    client.force_login(get_user_model().objects.get(email="agency@example.org"))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in RIVERTON_TITLES:
        assert escape(title) in html, title
    for title in CEDAR_TITLES:
        assert escape(title) not in html, title
    assert html.count("Returned for changes</span>") == 1


def test_demo_data_bulk_returned_set_on_agencies_of_its_own(demo):
    """Staff returned six nominations together with one message: each belongs to an agency
    of the set's own (its owner the only member, verified by staff), was created and
    submitted by that owner, and returned by staff once, with the message as its one
    message, one audit record and one email in the cycle's own wording, waiting for the
    worker. No file: the letter the message asks for is what is missing."""
    users = get_user_model().objects
    staff = users.get(email="staff@example.org")
    for agency_name, title, code in BULK_RETURNED:
        owner = users.get(email=BULK_OWNERS[agency_name])
        each = nomination(title)
        assert (each.agency.name, each.category.code, each.state) == (agency_name, code, S.RETURNED)
        assert each.agency.verified_by == staff
        assert [(m.user, m.role) for m in each.agency.memberships.all()] == [
            (owner, MembershipRole.OWNER)
        ]
        assert each.staff_message == BULK_MESSAGE
        assert [(m.author, m.from_staff, m.body) for m in each.messages.all()] == [
            (staff, True, BULK_MESSAGE)
        ]
        assert [(e.action, e.actor) for e in timelines([each], audience="staff")[each.pk]] == [
            ("nomination_created", owner),
            ("nomination_submitted", owner),
            ("nomination_returned", staff),
        ]
        returned = OutboxEmail.objects.get(key__startswith=f"nomination-returned:{each.pk}:")
        assert (returned.to, returned.subject, returned.status) == (
            owner.email,
            DEMO_RETURNED_SUBJECT.format(nomination_title=title),
            OutboxStatus.PENDING,
        )
        assert BULK_MESSAGE in returned.body
        assert not each.evidence.exists()


def test_demo_data_every_login_has_something_to_do(demo):
    """Each printed demo login's dashboard starts with what needs them now: the agency
    login a proof to approve, its returned nomination and staff's unread reply; the
    reviewer an assignment to accept and a review to finish; staff the submitted
    nominations to screen and unread messages, and the second staff member also the
    profile the first prepared and the agency approved, to publish."""
    users = get_user_model().objects
    todos = {}
    for role, email in LOGINS:
        groups = todos_for(
            users.get(email=email), reviewer=role == "reviewer", staff=role == "staff"
        )
        todos[email] = sorted({item.kind for group in groups for item in group.items})
    assert todos == {
        "staff@example.org": ["message", "screen"],
        "staff2@example.org": ["message", "publish", "screen"],
        "reviewer@example.org": ["accept", "review"],
        "agency@example.org": ["message", "proof", "returned"],
    }


@pytest.mark.parametrize(
    ("now", "opens", "closes"),
    [
        (eastern(2027, 1, 20, 12, 0), eastern(2026, 9, 1), eastern(2027, 1, 31, 23, 59)),
        (eastern(2027, 2, 1, 9, 0), eastern(2027, 2, 1), eastern(2028, 1, 31, 23, 59)),
        (eastern(2027, 8, 31, 23, 0), eastern(2027, 2, 1), eastern(2028, 1, 31, 23, 59)),
        (eastern(2027, 9, 1, 0, 0), eastern(2027, 9, 1), eastern(2028, 1, 31, 23, 59)),
        (eastern(2027, 11, 29, 3, 0), eastern(2027, 9, 1), eastern(2028, 1, 31, 23, 59)),
    ],
)
def test_demo_cycle_dates_any_day_open(now, opens, closes):
    """Whatever the day, the demo cycle is open: from September 1, or from February 1 in spring."""
    assert demo_cycle_dates(now) == (opens, closes)
    assert opens <= now < closes
