"""Image sizes in two formats: what is made, what is recorded, and catching up old images.

Real images throughout (Pillow, with GPS EXIF and XMP in the source), read back
with Pillow from storage; the command runs as an operator would run it.
"""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult
from PIL import Image, features

from dz_awards.profiles import images, services
from dz_awards.profiles.library import library_version
from dz_awards.profiles.models import ProfileImage
from tests.files import GPS_IFD, image_bytes
from tests.files import gps_exif as _gps_exif
from tests.profiles.factories import ProfileImageFactory

MAX_PIXELS = 40_000_000
# A 720 or 960 px source: every size up to 960 (the 960 of a 720 px one is 720 wide).
KEYS = [160, 320, 480, 640, 960]
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b"<rdf:Description><dc:creator>Sgt. Hidden Author</dc:creator></rdf:Description>"
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _photo(size=(960, 480)):
    """A detailed picture (a fractal in colour) that compresses like a photograph."""
    grey = Image.effect_mandelbrot(size, (-2.2, -1.1, 1.0, 1.1), 60)
    colour = Image.merge("RGB", (grey, grey.rotate(180), Image.linear_gradient("L").resize(size)))
    out = io.BytesIO()
    colour.save(out, "JPEG", quality=95, exif=_gps_exif(), xmp=XMP)
    return out.getvalue()


def _image(**fields):
    """A stored public image 720 by 480 (the factory's JPEGs at 480 and 960 unless given)."""
    return ProfileImageFactory(
        file__data=image_bytes("JPEG", (720, 480)), width=720, height=480, **fields
    )


def _open(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _stored(name):
    with default_storage.open(name, "rb") as handle:
        return _open(handle.read())


def _assert_bare(image):
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)


def test_the_modern_format_is_avif_when_this_pillow_writes_it():
    expected = "AVIF" if features.check("avif") else "WEBP"
    made = (images.MODERN_FORMAT, images.MODERN_EXTENSION, images.MODERN_CONTENT_TYPE)
    assert made == (expected, f".{expected.lower()}", f"image/{expected.lower()}")


def test_every_size_is_made_in_both_formats_without_metadata_and_the_modern_is_lighter():
    source = _photo()
    assert _open(source).getexif().get_ifd(GPS_IFD)  # the source does carry a position
    jpegs, moderns = images.make_renditions(source, max_pixels=MAX_PIXELS)
    assert [r.key for r in jpegs] == [r.key for r in moderns] == KEYS
    for jpeg, modern in zip(jpegs, moderns, strict=True):
        for rendition, fmt in ((jpeg, "JPEG"), (modern, images.MODERN_FORMAT)):
            image = _open(rendition.data)
            assert image.format == fmt
            assert image.size == (rendition.width, rendition.height) == (jpeg.key, jpeg.key // 2)
            _assert_bare(image)
            assert b"Hidden Author" not in rendition.data
        assert len(modern.data) < len(jpeg.data)


def test_only_the_sizes_asked_for_are_made():
    jpegs, moderns = images.make_renditions(
        _photo((700, 350)), max_pixels=MAX_PIXELS, jpeg_keys={160}, modern_keys={320, 960}
    )
    assert [(r.key, r.width) for r in jpegs] == [(160, 160)]
    # 700 px wide: the 960 key holds the picture at its own width, never upscaled.
    assert [(r.key, r.width) for r in moderns] == [(320, 320), (960, 700)]


@pytest.mark.django_db
def test_the_task_records_both_formats_in_storage_and_raises_the_library_version():
    image = _image(renditions={})
    before = library_version()
    services.profile_image_make_renditions(image.pk)
    image.refresh_from_db()
    assert sorted(map(int, image.renditions)) == sorted(map(int, image.modern_renditions))
    assert sorted(map(int, image.renditions)) == KEYS
    for key in KEYS:
        width = min(key, 720)
        jpeg, modern = (
            _stored(image.renditions[str(key)]),
            _stored(image.modern_renditions[str(key)]),
        )
        size = (width, round(width * 2 / 3))
        assert (jpeg.format, jpeg.size) == ("JPEG", size)
        assert (modern.format, modern.size) == (images.MODERN_FORMAT, size)
        assert image.modern_renditions[str(key)].endswith(images.MODERN_EXTENSION)
    assert library_version().number == (before.number if before else 0) + 1


def _media_files(folder=""):
    """Every stored file's name, through the storage API."""
    folders, files = default_storage.listdir(folder)
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += _media_files(f"{folder}{sub}/")
    return sorted(names)


@pytest.mark.django_db
def test_the_command_adds_only_the_missing_sizes_and_a_second_run_changes_nothing():
    old = _image()  # as stored before: JPEGs at 480 and 960 only
    kept = dict(old.renditions)
    done = _image(renditions={})
    services.profile_image_make_renditions(done.pk)
    done.refresh_from_db()
    done_before = (dict(done.renditions), dict(done.modern_renditions))

    out = io.StringIO()
    call_command("make_image_renditions", stdout=out)
    text = out.getvalue()
    assert "2 image(s); 1 miss some sizes." in text
    assert f"[1/1] /programs/{old.profile.slug}/ image {old.pk}: made 3 JPEG and 5 modern" in text
    old.refresh_from_db()
    assert sorted(map(int, old.renditions)) == sorted(map(int, old.modern_renditions)) == KEYS
    # The sizes it had keep their files (and so their URLs).
    assert {key: old.renditions[key] for key in kept} == kept
    assert _stored(old.modern_renditions["160"]).size == (160, 107)
    done.refresh_from_db()
    assert (done.renditions, done.modern_renditions) == done_before

    files = _media_files()
    assert len(files) == 2 * (1 + 2 * len(KEYS))  # two images, each with its sizes
    again = io.StringIO()
    call_command("make_image_renditions", stdout=again)
    assert "2 image(s); 0 miss some sizes." in again.getvalue()
    assert _media_files() == files
    old.refresh_from_db()
    assert len(old.renditions) == len(old.modern_renditions) == len(KEYS)


@pytest.mark.django_db
def test_the_command_can_leave_the_work_to_the_worker(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "uploads"],
        }
    }
    old = _image()
    out = io.StringIO()
    call_command("make_image_renditions", "--enqueue", stdout=out)
    assert f"image {old.pk}: queued" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "dz_awards.profiles.tasks.make_profile_image_renditions"
    assert queued.args_kwargs == {"args": [str(old.pk)], "kwargs": {"only_missing": True}}
    assert ProfileImage.objects.get(pk=old.pk).modern_renditions == {}


@pytest.mark.django_db
def test_the_command_reports_an_image_it_cannot_read_and_does_the_others():
    lost = _image()
    default_storage.delete(lost.file.name)
    fine = _image()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 image"):
        call_command("make_image_renditions", stdout=out, stderr=err)
    assert f"image {lost.pk}: not made" in err.getvalue()
    assert ProfileImage.objects.get(pk=lost.pk).modern_renditions == {}
    assert len(ProfileImage.objects.get(pk=fine.pk).modern_renditions) == len(KEYS)
