from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dz_awards.core.health import healthz, readyz
from dz_awards.portal.robots import robots_txt

admin.site.site_header = "Destination Zero Awards administration"
admin.site.site_title = "DZ Awards admin"

urlpatterns = [
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("dz_awards.portal.urls")),
    path("accounts/", include("dz_awards.accounts.urls")),
    path("staff/", include("dz_awards.portal.urls_staff")),
    path("", include("dz_awards.agencies.urls")),
    path("", include("dz_awards.nominations.urls")),
    path("", include("reviews.urls")),
    path("", include("dz_awards.profiles.urls")),
    path("", include("dz_awards.recognition.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
