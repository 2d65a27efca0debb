"""The agency's certificate and badge downloads, and the staff's certificate pages."""

from django.urls import path

from dz_awards.recognition.views import agency, staff

app_name = "recognition"

urlpatterns = [
    path(
        "nominations/<uuid:pk>/certificate/",
        agency.CertificatePdfView.as_view(),
        name="certificate",
    ),
    path("nominations/<uuid:pk>/badge/", agency.BadgeView.as_view(), name="badge"),
    path("nominations/<uuid:pk>/badge/2x/", agency.BadgeView.as_view(scale=2), name="badge-2x"),
    path(
        "staff/cycles/<int:cycle>/certificates/",
        staff.CertificateListView.as_view(),
        name="staff-certificates",
    ),
    path(
        "staff/certificates/<uuid:pk>/regenerate/",
        staff.RegenerateView.as_view(),
        name="staff-regenerate",
    ),
]
