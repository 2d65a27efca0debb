"""The Atom feed of the public library: the 50 most recently published profiles.

Everything in an entry is text. The summary is the profile's summary as plain
text (its Markdown stripped) sent as `<summary type="text">`, so a feed reader
never reads it as HTML; titles, author names and categories are Atom text
constructs and attributes, which the XML writer escapes. Links are our own
profile pages. Only published profiles are read (`published_profiles`), so a
retracted one leaves the feed at once.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed

from dz_awards.core.limits import rate_limit
from dz_awards.profiles import markdown
from dz_awards.profiles.models import Topic
from dz_awards.profiles.page_cache import cached_library_page
from dz_awards.profiles.selectors import published_profiles

FEED_SIZE = 50


class TextSummaryAtom1Feed(Atom1Feed):
    """Atom with each entry's summary as plain text (Django's default is `type="html"`)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description"):
            handler.addQuickElement("summary", item["description"], {"type": "text"})


@method_decorator(rate_limit("open_data", methods=("GET", "HEAD")), name="__call__")
@method_decorator(cached_library_page, name="__call__")
class LatestProfilesFeed(Feed):
    feed_type = TextSummaryAtom1Feed
    title = "Destination Zero model programs"
    subtitle = (
        "Officer safety and wellness programs recognized by the Destination Zero awards, "
        "newest first."
    )
    link = reverse_lazy("profiles:directory")
    feed_url = reverse_lazy("profiles:feed")
    author_name = "Destination Zero"
    language = "en"

    def items(self):
        return (
            published_profiles()
            .filter(published_at__isnull=False)
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
            .order_by("-published_at", "slug")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return markdown.plain_text(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # Stable even if the slug changes.
        return f"urn:uuid:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at or item.published_at

    def item_updateddate(self, item):
        return max(moment for moment in (item.updated_at, item.published_at) if moment)

    def item_author_name(self, item):
        return item.agency_name

    def item_categories(self, item):
        return [
            label
            for label in [item.category_label, *(topic.name for topic in item.topics.all())]
            if label
        ]
