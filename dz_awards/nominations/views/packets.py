"""Packets for program staff: one nomination's PDF, and a category's archive for the committee.

A packet is served once it is made; until then the page asking for it says
so and reloads itself every few seconds (an HTTP `Refresh` header: no
JavaScript, and a link to stop it), while the task queue renders it. Asking
for a packet is reading a cache, not changing the nomination, so a GET may
queue the render (once per content: see `services.packets.packet_request`).
Every file is served as an attachment with the headers of evidence downloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.cycles.models import Category, Cycle
from dz_awards.nominations.enums import PACKET_ARCHIVE_STATES
from dz_awards.nominations.models import NominationPacket, PacketArchive
from dz_awards.nominations.packets import PacketError, PacketInputs, staff_packet_inputs
from dz_awards.nominations.services.packets import (
    packet_archive_request,
    packet_request,
    packet_retry,
)
from dz_awards.nominations.tasks import render_staff_packet
from dz_awards.nominations.views.shared import evidence_file_response
from dz_awards.nominations.views.staff import StaffNominationMixin

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.tasks import Task

# Seconds between reloads of a page waiting for a packet or an archive.
REFRESH_SECONDS = 5


def refreshing(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Ask the browser to load the page again shortly, unless the person stopped it."""
    if request.GET.get("refresh") != "off":
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def packet_file_response(packet: NominationPacket, *, name: str) -> Any:
    return evidence_file_response(
        packet.file, name=name, extension=".pdf", content_type="application/pdf"
    )


def packet_pending_response(
    request: HttpRequest,
    *,
    packet: NominationPacket,
    title: str,
    back_url: str,
    back_label: str,
    error: str | None = None,
) -> HttpResponse:
    """The page shown while a packet is being made, or why it could not be: `packet.error`,
    or `error` in its place (for readers who may not see what the renderer said)."""
    response = render(
        request,
        "nominations/packets/pending.html",
        {
            "packet": packet,
            "error": (error or packet.error) if packet.error else "",
            "title": title,
            "back_url": back_url,
            "back_label": back_label,
            "refresh_stopped": request.GET.get("refresh") == "off",
            "refresh_seconds": REFRESH_SECONDS,
        },
    )
    return response if packet.error else refreshing(request, response)


class PacketMixin:
    """GET the packet (or the page waiting for it); POST asks again after a failure.

    A view using it sets `task` (the render task of its kind of packet) and
    provides `packet_inputs()` (PacketError: no packet, a 404),
    `download_name()` and `pending(packet)`, the page shown while it is made.
    """

    task: Task

    def get(self, request: HttpRequest, pk: Any) -> Any:
        try:
            inputs = self.packet_inputs()
        except PacketError:
            raise Http404 from None
        packet = packet_request(inputs=inputs, task=self.task)
        if packet.is_ready:
            return packet_file_response(packet, name=self.download_name())
        return self.pending(packet)

    def post(self, request: HttpRequest, pk: Any) -> Any:
        try:
            inputs = self.packet_inputs()
        except PacketError:
            raise Http404 from None
        packet_retry(inputs=inputs, task=self.task)
        return redirect(request.path)


class StaffPacketView(StaffNominationMixin, PacketMixin, View):
    """The staff packet of one nomination: its latest submitted revision, whole."""

    task = render_staff_packet

    def packet_inputs(self) -> PacketInputs:
        return staff_packet_inputs(self.get_nomination())

    def download_name(self) -> str:
        nomination = self.get_nomination()
        return f"packet-{slugify(str(nomination))[:60]}-{str(nomination.pk)[:8]}.pdf"

    def pending(self, packet: NominationPacket) -> HttpResponse:
        nomination = self.get_nomination()
        return packet_pending_response(
            self.request,
            packet=packet,
            title=str(nomination),
            back_url=reverse("staff:nomination-detail", kwargs={"pk": nomination.pk}),
            back_label="Back to the nomination",
        )


class PacketCategoriesView(StaffRequiredMixin, TemplateView):
    """A cycle's categories, each with its nominations and its latest archive of packets."""

    template_name = "nominations/packets/categories.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        latest = PacketArchive.objects.filter(category=OuterRef("pk")).order_by("-created_at")
        categories = (
            Category.objects.filter(cycle=cycle)
            .annotate(
                packet_count=Count(
                    "nominations",
                    filter=Q(
                        nominations__state__in=PACKET_ARCHIVE_STATES,
                        nominations__submitted_at__isnull=False,
                    ),
                ),
                latest_archive=Subquery(latest.values("pk")[:1]),
            )
            .order_by("position", "pk")
        )
        categories = list(categories)
        archives = PacketArchive.objects.in_bulk(
            [c.latest_archive for c in categories if c.latest_archive]
        )
        rows = [(category, archives.get(category.latest_archive)) for category in categories]
        kwargs["cycle"] = cycle  # the object, in place of the number in the URL
        return super().get_context_data(rows=rows, **kwargs)


class PacketArchiveRequestView(StaffRequiredMixin, View):
    """Staff ask for a category's packets as one archive (a POST); then watch it build."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, cycle: int, category: int) -> Any:
        chosen = get_object_or_404(Category, pk=category, cycle_id=cycle)
        archive = packet_archive_request(actor=request.user, category=chosen)  # type: ignore[arg-type]
        messages.success(request, f"The archive of {chosen.label} is being prepared.")
        return redirect(archive)


class StaffArchiveMixin(StaffRequiredMixin):
    def get_archive(self) -> PacketArchive:
        return get_object_or_404(
            PacketArchive.objects.select_related("category__cycle"), pk=self.kwargs["pk"]
        )


class PacketArchiveView(StaffArchiveMixin, TemplateView):
    """How far the archive is: "n of m packets ready", reloading itself until it is done."""

    template_name = "nominations/packets/archive.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.archive = self.get_archive()
        response = super().get(request, *args, **kwargs)
        return refreshing(request, response) if self.archive.is_building else response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        archive = self.archive
        return super().get_context_data(
            archive=archive,
            cycle=archive.category.cycle,
            refresh_stopped=self.request.GET.get("refresh") == "off",
            refresh_seconds=REFRESH_SECONDS,
            **kwargs,
        )


class PacketArchiveDownloadView(StaffArchiveMixin, View):
    def get(self, request: HttpRequest, pk: Any) -> Any:
        archive = self.get_archive()
        if not archive.is_ready:
            raise Http404
        category = archive.category
        name = f"packets-{category.cycle.year}-{slugify(category.label)[:40] or category.pk}"
        return evidence_file_response(
            archive.file, name=name, extension=".zip", content_type="application/zip"
        )
