"""/sitemap.xml: the public pages and every published profile.

Profiles are read through `published_profiles`, so a retracted or unpublished
profile is never listed. Addresses are made absolute with the request's host
(the sites framework is not installed).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from dz_awards.profiles.selectors import published_profiles


def _last_change(updated_at, published_at):
    moments = [moment for moment in (updated_at, published_at) if moment]
    return max(moments) if moments else None


class StaticPagesSitemap(Sitemap):
    """The home page and the program directory."""

    changefreq = "weekly"

    def items(self):
        return ["portal:home", "profiles:directory"]

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 0.8 if item == "profiles:directory" else 0.5

    def lastmod(self, item):
        if item != "profiles:directory":
            return None
        latest = published_profiles().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return _last_change(latest["updated"], latest["published"])


class ProfileSitemap(Sitemap):
    """Every published profile, with the time it last changed."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        # Plain rows: no model instances to build for thousands of profiles.
        return published_profiles().order_by("slug").values("slug", "updated_at", "published_at")

    def location(self, item):
        return reverse("profiles:detail", kwargs={"slug": item["slug"]})

    def lastmod(self, item):
        return _last_change(item["updated_at"], item["published_at"])


SITEMAPS = {"pages": StaticPagesSitemap, "programs": ProfileSitemap}
