"""Factories for public profiles.

`ProfileFactory()` is a published profile (as the publish service leaves it),
with its search vector refreshed on PostgreSQL. Pass `state=ProfileState.DRAFT`
(or any other state) for one that is not public, `topics=[...]` for topics.
`ProfileImageFactory`, `ProfileResourceFactory` and `ProfilePdfFactory` store
real files in the test's media folder.
"""

import hashlib

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from dz_awards.agencies.enums import AgencyType
from dz_awards.profiles.enums import Award, ProfileState
from dz_awards.profiles.models import Profile, ProfileImage, ProfilePdf, ProfileResource, Topic
from dz_awards.profiles.services import refresh_search
from tests.files import MINIMAL_PDF, image_bytes

RENDITION_WIDTHS = (480, 960)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    """A published profile with complete public copy."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"program-{n}")
    state = ProfileState.PUBLISHED
    version = 1
    award = Award.WINNER
    year = 2026
    category_code = "officer-wellness"
    category_label = "Comprehensive Officer Wellness"
    agency = None
    agency_name = factory.Sequence(lambda n: f"Riverton {n} Police Department")
    city = "Riverton"
    state_code = "WY"
    agency_type = AgencyType.MUNICIPAL
    sworn_officers = 48
    title = factory.Sequence(lambda n: f"Peer Support Program {n}")
    summary = "Trained peers check in with every officer after a critical incident."
    need = "Officers exposed to critical incidents rarely asked for help."
    approach = "A team of 14 trained peers contacts every officer after an incident."
    results = "Sick days after critical incidents fell **41%** in two years."
    key_figures = factory.LazyFunction(lambda: [{"figure": "41%", "label": "fewer sick days"}])
    durability = "Funded from the operating budget since 2022."
    replicability = "One coordinator and 12 volunteer peers."
    cost_funding = "$18,000 a year for training and overtime."
    contact_name = "Sgt. Dana Ortiz"
    contact_title = "Wellness Coordinator"
    contact_email = "dortiz@riverton.example"
    contact_phone = "+1 555 0100"
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == ProfileState.PUBLISHED else None
    )
    first_published_at = factory.SelfAttribute("published_at")

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):  # noqa: N805 factory-boy passes the object
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def _search(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            refresh_search(obj.pk)


class ProfileImageFactory(factory.django.DjangoModelFactory):
    """A JPEG with its renditions (480 and 960 wide) stored as the media task leaves them."""

    class Meta:
        model = ProfileImage
        skip_postgeneration_save = True

    profile = factory.SubFactory(ProfileFactory)
    file = factory.django.FileField(
        filename="photo.jpg", data=factory.LazyFunction(lambda: image_bytes("JPEG", (1200, 800)))
    )
    extension = ".jpg"
    width = 1200
    height = 800
    alt_text = "Two officers talking in a patrol car"
    caption = "A peer check-in after a call."

    @factory.post_generation
    def renditions(obj, create, extracted, **kwargs):  # noqa: N805
        if extracted is not None:
            obj.renditions = extracted
        else:
            stem = obj.file.name.rsplit(".", 1)[0]
            renditions = {}
            for width in RENDITION_WIDTHS:
                data = image_bytes("JPEG", (width, width * 2 // 3))
                renditions[str(width)] = default_storage.save(
                    f"{stem}-{width}.jpg", ContentFile(data)
                )
            obj.renditions = renditions
        if create:
            obj.save(update_fields=["renditions"])


class ProfileResourceFactory(factory.django.DjangoModelFactory):
    """A public PDF download; pass `file=""` and `url=...` for a link."""

    class Meta:
        model = ProfileResource

    profile = factory.SubFactory(ProfileFactory)
    title = "Peer support general order"
    file = factory.django.FileField(filename="general-order.pdf", data=MINIMAL_PDF)
    extension = ".pdf"
    size = len(MINIMAL_PDF)


class ProfilePdfFactory(factory.django.DjangoModelFactory):
    """The stored PDF summary of the profile's current version."""

    class Meta:
        model = ProfilePdf

    class Params:
        data = MINIMAL_PDF

    profile = factory.SubFactory(ProfileFactory)
    file = factory.LazyAttribute(
        lambda o: ContentFile(o.data, name=f"{o.profile.slug}-{o.sha256[:12]}.pdf")
    )
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.data).hexdigest())
    version = factory.SelfAttribute("profile.version")
    pages = 1


class ReadingClient(Client):
    """A test client that reads a streamed file response into `.body` and closes the file.

    An unread FileResponse leaves its file open (an error under `-W error`).
    """

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        if response.streaming:
            response.body = b"".join(response.streaming_content)
            if getattr(response, "file_to_stream", None) is not None:
                response.file_to_stream.close()
        else:
            response.body = response.content
        return response
