"""Program staff pages for packets; added to the staff URLs (`urls_staff`) under /staff/."""

from django.urls import path

from dz_awards.nominations.views import packets

urlpatterns = [
    path(
        "nominations/<uuid:pk>/packet/", packets.StaffPacketView.as_view(), name="nomination-packet"
    ),
    path("cycles/<int:cycle>/packets/", packets.PacketCategoriesView.as_view(), name="packets"),
    path(
        "cycles/<int:cycle>/packets/<int:category>/archive/",
        packets.PacketArchiveRequestView.as_view(),
        name="packet-archive-request",
    ),
    path("packets/archives/<uuid:pk>/", packets.PacketArchiveView.as_view(), name="packet-archive"),
    path(
        "packets/archives/<uuid:pk>/download/",
        packets.PacketArchiveDownloadView.as_view(),
        name="packet-archive-download",
    ),
]
