"""The agency's downloads: its certificate (PDF) and badge (PNG, and twice the size).

Each download finds its certificate through `selectors.certificate_for_download`,
scoped to the approved members of the nomination's agency and to program staff;
anyone else, and anyone while the certificate is being prepared, gets a 404.
Files are served as attachments that the browser never renders as a page.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import View

from dz_awards.nominations.views.shared import evidence_file_response
from dz_awards.recognition import badges, selectors


def _download_headers(response: HttpResponse, file_name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class CertificatePdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        certificate = selectors.certificate_for_download(request.user, pk)
        return evidence_file_response(
            certificate.pdf,
            name=f"{selectors.file_stem(certificate)}-certificate.pdf",
            extension=".pdf",
            content_type="application/pdf",
        )


class BadgeView(LoginRequiredMixin, View):
    """The stored badge (300 by 300), or with `scale=2` the same badge drawn at 600 by 600
    for high-density screens (drawn on request from the same names: a few milliseconds)."""

    scale = 1

    def get(self, request, pk):
        certificate = selectors.certificate_for_download(request.user, pk)
        stem = selectors.file_stem(certificate)
        if self.scale == 1:
            return evidence_file_response(
                certificate.badge,
                name=f"{stem}-badge.png",
                extension=".png",
                content_type="image/png",
            )
        data = badges.badge_png(certificate, scale=self.scale)
        return _download_headers(
            HttpResponse(data, content_type="image/png"), f"{stem}-badge-{self.scale}x.png"
        )
