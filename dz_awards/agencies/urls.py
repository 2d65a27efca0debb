from django.urls import path

from dz_awards.agencies.views import agency as views

app_name = "agencies"

urlpatterns = [
    path("agencies/new/", views.AgencyCreateView.as_view(), name="create"),
    path("agencies/join/", views.AgencyJoinSearchView.as_view(), name="join-search"),
    path("agencies/<uuid:pk>/", views.AgencyDetailView.as_view(), name="detail"),
    path("agencies/<uuid:pk>/edit/", views.AgencyEditView.as_view(), name="edit"),
    path("agencies/<uuid:pk>/join/", views.AgencyJoinRequestView.as_view(), name="join"),
    path("agencies/<uuid:pk>/members/", views.AgencyMembersView.as_view(), name="members"),
    path(
        "agencies/<uuid:pk>/members/<int:membership_pk>/approve/",
        views.MembershipDecisionView.as_view(decision="approve"),
        name="membership-approve",
    ),
    path(
        "agencies/<uuid:pk>/members/<int:membership_pk>/decline/",
        views.MembershipDecisionView.as_view(decision="decline"),
        name="membership-decline",
    ),
]
