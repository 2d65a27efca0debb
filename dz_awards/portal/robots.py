"""`/robots.txt`: crawlers may read the public library; the signed-in areas stay out.

The public pages are the home page, the library of programs (`/programs/`, with
its feed, PDFs and images) and the open-data API. Every other area needs a
sign-in: a crawler following a link there only meets the sign-in page, and a
search engine must not list those addresses. The file names the sitemap by its
absolute address (from `SITE_URL`), as the robots protocol asks.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Path prefixes of the signed-in areas. The API under /api/ only reads (GET): it
# has no write path to keep out, and its data is the library's, meant to be found.
SIGNED_IN_PREFIXES = (
    "/staff/",  # program staff
    "/review/",  # reviewers
    "/accounts/",  # sign-in, registration, passwords, two-factor
    "/agencies/",  # an agency's own pages and join requests
    "/nominations/",  # nominations, their files and messages
    "/profiles/",  # an agency's proof of its public profile
    "/dashboard/",
    "/after-login/",
)
# Addresses for load balancers, not for readers.
OPERATIONS_PATHS = ("/healthz", "/readyz")

# The Django admin under its well-known address is listed too. A custom address
# (`ADMIN_URL`) is kept out of this public file instead: robots.txt is read by
# people looking for such addresses as well as by crawlers.
DEFAULT_ADMIN_URL = "admin/"


def robots_lines() -> list[str]:
    """The lines of robots.txt, for the current settings."""
    disallowed = [*SIGNED_IN_PREFIXES, *OPERATIONS_PATHS]
    if settings.ADMIN_URL == DEFAULT_ADMIN_URL:
        disallowed.append(f"/{DEFAULT_ADMIN_URL}")
    return [
        "User-agent: *",
        f"Allow: {reverse('profiles:directory')}",
        *(f"Disallow: {prefix}" for prefix in disallowed),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('profiles:sitemap')}",
    ]


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """The robots file, as plain text; crawlers and proxies may keep it a day."""
    return HttpResponse("\n".join(robots_lines()) + "\n", content_type="text/plain; charset=utf-8")
