"""Program staff pages for agencies, included under /staff/ by the portal."""

from django.urls import path

from dz_awards.agencies.views import staff as agency_staff

urlpatterns = [
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
]
