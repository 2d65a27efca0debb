"""Program staff pages, under /staff/."""

from django.urls import path

from dz_awards.agencies.views import staff as agency_staff
from dz_awards.core import staff_views
from dz_awards.nominations.views import shared as nomination_shared
from dz_awards.nominations.views import staff as nomination_staff
from dz_awards.profiles.urls_staff import urlpatterns as profile_urlpatterns
from dz_awards.reviews.urls_staff import urlpatterns as review_urlpatterns

app_name = "staff"

urlpatterns = [
    path("", staff_views.StaffHomeView.as_view(), name="home"),
    path("cycles/", staff_views.StaffCycleListView.as_view(), name="cycles"),
    path("agencies/", agency_staff.StaffAgencyListView.as_view(), name="agencies"),
    path("agencies/<uuid:pk>/", agency_staff.StaffAgencyDetailView.as_view(), name="agency"),
    path(
        "agencies/<uuid:pk>/verify/",
        agency_staff.StaffAgencyVerifyView.as_view(),
        name="agency-verify",
    ),
    path(
        "agencies/<uuid:pk>/members/<int:membership_pk>/approve/",
        agency_staff.StaffMembershipDecisionView.as_view(decision="approve"),
        name="membership-approve",
    ),
    path(
        "agencies/<uuid:pk>/members/<int:membership_pk>/decline/",
        agency_staff.StaffMembershipDecisionView.as_view(decision="decline"),
        name="membership-decline",
    ),
    path("nominations/", nomination_staff.StaffNominationListView.as_view(), name="nominations"),
    path(
        "nominations/<uuid:pk>/",
        nomination_staff.StaffNominationDetailView.as_view(),
        name="nomination-detail",
    ),
    path(
        "nominations/<uuid:pk>/return/",
        nomination_staff.StaffReturnView.as_view(),
        name="nomination-return",
    ),
    path(
        "nominations/<uuid:pk>/screen-out/",
        nomination_staff.StaffScreenOutView.as_view(),
        name="nomination-screen-out",
    ),
    path(
        "nominations/<uuid:pk>/verify-agency/",
        nomination_staff.StaffVerifyAgencyView.as_view(),
        name="nomination-verify-agency",
    ),
    path(
        "nominations/<uuid:pk>/revisions/<int:number>/",
        nomination_shared.RevisionView.as_view(audience="staff"),
        name="nomination-revision",
    ),
    path(
        "nominations/<uuid:pk>/changes/",
        nomination_shared.ChangesView.as_view(audience="staff"),
        name="nomination-changes",
    ),
    path(
        "nominations/<uuid:pk>/evidence/<uuid:evidence>/",
        nomination_shared.EvidenceDownloadView.as_view(audience="staff"),
        name="nomination-evidence-download",
    ),
    path(
        "nominations/<uuid:pk>/messages/",
        nomination_shared.MessagePostView.as_view(audience="staff"),
        name="nomination-messages",
    ),
    *review_urlpatterns,
    *profile_urlpatterns,
]
