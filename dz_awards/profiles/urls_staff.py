"""Program staff profile pages; included in the `staff` namespace under /staff/."""

from django.urls import path

from dz_awards.profiles.views import staff

urlpatterns = [
    path("profiles/", staff.ProfileListView.as_view(), name="profiles"),
    path(
        "cycles/<int:cycle>/profiles/create/",
        staff.CreateProfilesView.as_view(),
        name="profiles-create",
    ),
    path("profiles/<uuid:pk>/", staff.ProfileEditView.as_view(), name="profile"),
    path("profiles/<uuid:pk>/media/", staff.ProfileMediaView.as_view(), name="profile-media"),
    path("profiles/<uuid:pk>/preview/", staff.ProfilePreviewView.as_view(), name="profile-preview"),
    path(
        "profiles/<uuid:pk>/preview/summary.pdf",
        staff.ProfilePreviewPdfView.as_view(),
        name="profile-preview-pdf",
    ),
    path(
        "profiles/<uuid:pk>/send-proof/", staff.SendProofView.as_view(), name="profile-send-proof"
    ),
    path("profiles/<uuid:pk>/publish/", staff.PublishView.as_view(), name="profile-publish"),
    path("profiles/<uuid:pk>/retract/", staff.RetractView.as_view(), name="profile-retract"),
    path("profiles/<uuid:pk>/reopen/", staff.ReopenView.as_view(), name="profile-reopen"),
    path(
        "profiles/<uuid:pk>/render-pdf/", staff.RenderPdfView.as_view(), name="profile-render-pdf"
    ),
]
