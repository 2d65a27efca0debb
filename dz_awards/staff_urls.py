"""Program staff pages, under /staff/."""

from django.urls import path

from dz_awards.agencies.views import staff as agency_staff
from dz_awards.core import staff_views

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
]
