"""Program staff pages, under /staff/: the staff home, then each app's own staff URLs."""

from django.urls import path

from dz_awards.accounts.urls_staff import urlpatterns as account_urlpatterns
from dz_awards.agencies.urls_staff import urlpatterns as agency_urlpatterns
from dz_awards.cycles.urls_staff import urlpatterns as cycle_urlpatterns
from dz_awards.mailings.urls_staff import urlpatterns as mailing_urlpatterns
from dz_awards.nominations.urls_staff import urlpatterns as nomination_urlpatterns
from dz_awards.portal.views import staff as staff_views
from dz_awards.profiles.urls_staff import urlpatterns as profile_urlpatterns
from reviews.urls_staff import urlpatterns as review_urlpatterns

app_name = "staff"

urlpatterns = [
    path("", staff_views.StaffHomeView.as_view(), name="home"),
    *cycle_urlpatterns,
    *mailing_urlpatterns,
    *agency_urlpatterns,
    *nomination_urlpatterns,
    *review_urlpatterns,
    *profile_urlpatterns,
    *account_urlpatterns,
]
