"""Program staff pages for nominations, included under /staff/ by the portal.

The list of nominations is the reviews app's (`reviews.urls_staff`): it shows review
flags and offers review actions, which only reviews may import.
"""

from django.urls import path

from dz_awards.nominations.urls_packets import urlpatterns as packet_urlpatterns
from dz_awards.nominations.views import shared as nomination_shared
from dz_awards.nominations.views import staff as nomination_staff

urlpatterns = [
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
        "nominations/<uuid:pk>/evidence/<uuid:evidence>/original/",
        nomination_shared.EvidenceOriginalView.as_view(),
        name="nomination-evidence-original",
    ),
    path(
        "nominations/<uuid:pk>/messages/",
        nomination_shared.MessagePostView.as_view(audience="staff"),
        name="nomination-messages",
    ),
]

urlpatterns += packet_urlpatterns
