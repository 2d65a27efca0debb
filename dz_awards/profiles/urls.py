"""Public library URLs (stable and shareable) and the agency's proof pages."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from dz_awards.profiles.feeds import LatestProfilesFeed
from dz_awards.profiles.page_cache import cached_library_page
from dz_awards.profiles.sitemaps import SITEMAPS
from dz_awards.profiles.views import agency, api, catalog, public

app_name = "profiles"

urlpatterns = [
    path("programs/", public.DirectoryView.as_view(), name="directory"),
    path("programs/feed/", LatestProfilesFeed(), name="feed"),
    path("programs/<slug:slug>/", public.ProfileDetailView.as_view(), name="detail"),
    path("programs/<slug:slug>/summary.pdf", public.ProfilePdfView.as_view(), name="pdf"),
    path(
        "programs/<slug:slug>/images/<uuid:image>/<int:width>.jpg",
        public.ProfileImageView.as_view(),
        name="image",
    ),
    path(
        "programs/<slug:slug>/images/<uuid:image>/<int:width>.avif",
        public.ProfileImageView.as_view(),
        {"extension": "avif"},
        name="image-avif",
    ),
    path(
        "programs/<slug:slug>/images/<uuid:image>/<int:width>.webp",
        public.ProfileImageView.as_view(),
        {"extension": "webp"},
        name="image-webp",
    ),
    path(
        "programs/<slug:slug>/resources/<uuid:resource>/",
        public.ProfileResourceView.as_view(),
        name="resource",
    ),
    path("api/openapi.json", api.openapi_json, name="api-openapi"),
    # `api-list` (/api/programs/) and `api-csv` (/api/programs.csv): ninja operations.
    path(api.API_PREFIX, include(api.api_urls())),
    path("data.json", catalog.DataJsonView.as_view(), name="data-json"),
    path(
        "sitemap.xml",
        cached_library_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("profiles/<uuid:pk>/proof/", agency.ProofView.as_view(), name="proof"),
    path("profiles/<uuid:pk>/proof/summary.pdf", agency.ProofPdfView.as_view(), name="proof-pdf"),
    path("profiles/<uuid:pk>/proof/approve/", agency.ApproveView.as_view(), name="proof-approve"),
    path(
        "profiles/<uuid:pk>/proof/changes/",
        agency.RequestChangesView.as_view(),
        name="proof-changes",
    ),
]
