"""Published profiles as plain data, for the open-data channels (JSON and CSV).

`profile_dict` is one item of `/api/programs/`; `CSV_HEADER` and `profile_row`
are the same fields flattened for `/api/programs.csv`. Both read only what
`open_data_queryset` loads (one query for the profiles with their PDF, one for
the topics, one for the resources), so a page costs the same number of queries
whatever its size.

`build_url` turns a site path into an absolute address (usually
`request.build_absolute_uri`). Text goes out as data: the summary is plain
text (the Markdown stripped), and nothing is marked up for a browser.
"""

from django.db.models import Prefetch
from django.urls import reverse

from dz_awards.profiles import markdown
from dz_awards.profiles.enums import size_band
from dz_awards.profiles.models import ProfilePdf, ProfileResource, Topic
from dz_awards.profiles.selectors import BODY_FIELDS, published_profiles

# Links to outside resources are listed only with a web address.
LINK_SCHEMES = ("http://", "https://")

CSV_HEADER = [
    "slug",
    "url",
    "title",
    "summary",
    "year",
    "award",
    "category_code",
    "category_label",
    "agency_name",
    "agency_city",
    "agency_state",
    "agency_type",
    "sworn_officers",
    "size_band",
    "topics",
    "key_figures",
    "resources",
    "pdf_url",
    "published_at",
]


# Long fields the open data does not carry, left in the database.
_NOT_READ = [
    *BODY_FIELDS,
    "agency_comment",
    "retract_reason",
    "search_vector",
]


def with_open_data(queryset):
    """`queryset` with what the serializers read loaded in a fixed number of queries."""
    return (
        queryset.select_related("pdf")
        .defer(*_NOT_READ)
        .prefetch_related(
            # Plain lists (to_attr): no related manager to build per profile.
            Prefetch("topics", queryset=Topic.objects.order_by("name"), to_attr="open_topics"),
            Prefetch(
                "resources",
                queryset=ProfileResource.objects.order_by("position", "pk").only(
                    "id", "profile_id", "title", "file", "url", "position"
                ),
                to_attr="open_resources",
            ),
        )
    )


def open_data_queryset():
    """Every published profile, newest first, ready for `profile_dict` or `profile_row`."""
    return with_open_data(published_profiles()).order_by("-published_at", "slug")


def _topics(profile):
    topics = getattr(profile, "open_topics", None)
    if topics is None:
        topics = profile.topics.order_by("name")
    return [topic.name for topic in topics]


def _key_figures(profile):
    rows = profile.key_figures if isinstance(profile.key_figures, list) else []
    return [
        {"figure": str(row.get("figure", "")), "label": str(row.get("label", ""))}
        for row in rows
        if isinstance(row, dict)
    ]


def _resources(profile, build_url):
    items = []
    resources = getattr(profile, "open_resources", None)
    if resources is None:
        resources = profile.resources.order_by("position", "pk")
    for resource in resources:
        if resource.file:
            path = reverse(
                "profiles:resource", kwargs={"slug": profile.slug, "resource": resource.pk}
            )
            items.append({"title": resource.title, "url": build_url(path)})
        elif resource.url.strip().lower().startswith(LINK_SCHEMES):
            items.append({"title": resource.title, "url": resource.url})
    return items


def _pdf_url(profile, build_url):
    """The PDF summary's address, only while the stored PDF shows the current version."""
    try:
        stored = profile.pdf
    except ProfilePdf.DoesNotExist:
        return None
    if stored.version != profile.version:
        return None
    return build_url(reverse("profiles:pdf", kwargs={"slug": profile.slug}))


def _size_band(profile):
    band = size_band(profile.sworn_officers)
    return str(band.value) if band else None


def _iso(moment):
    return moment.isoformat() if moment else None


def profile_dict(profile, build_url):
    """One published profile as JSON-ready data."""
    return {
        "slug": profile.slug,
        "url": build_url(profile.get_absolute_url()),
        "title": profile.title,
        "summary": markdown.plain_text(profile.summary),
        "year": profile.year,
        "award": profile.award,
        "category": {"code": profile.category_code, "label": profile.category_label},
        "agency": {
            "name": profile.agency_name,
            "city": profile.city,
            "state": profile.state_code,
            "type": profile.agency_type or None,
            "sworn_officers": profile.sworn_officers,
            "size_band": _size_band(profile),
        },
        "topics": _topics(profile),
        "key_figures": _key_figures(profile),
        "resources": _resources(profile, build_url),
        "pdf_url": _pdf_url(profile, build_url),
        "published_at": _iso(profile.published_at),
    }


def profile_row(profile, build_url):
    """One published profile as a CSV row (in `CSV_HEADER` order), lists joined with "; "."""
    data = profile_dict(profile, build_url)
    agency = data["agency"]
    return [
        data["slug"],
        data["url"],
        data["title"],
        data["summary"],
        data["year"],
        data["award"],
        data["category"]["code"],
        data["category"]["label"],
        agency["name"],
        agency["city"],
        agency["state"],
        agency["type"],
        agency["sworn_officers"],
        agency["size_band"],
        "; ".join(data["topics"]),
        "; ".join(f"{row['figure']} {row['label']}".strip() for row in data["key_figures"]),
        "; ".join(f"{item['title']} <{item['url']}>" for item in data["resources"]),
        data["pdf_url"],
        data["published_at"],
    ]
