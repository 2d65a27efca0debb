"""Program staff profile pages: the list, the editor, media, previews and the lifecycle.

Every page is for program staff only (others get 404). Every change is a POST
handled by a service in `dz_awards.profiles.services`; a refusal is shown in
plain words and any text typed is kept.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import REFUSALS, refusal_message, refuse
from dz_awards.core.selectors import audit_events_for
from dz_awards.cycles.models import Cycle
from dz_awards.nominations.enums import EvidenceKind
from dz_awards.profiles import services
from dz_awards.profiles.enums import EDITABLE_STATES, ProfileState
from dz_awards.profiles.forms import (
    ProfileCopyForm,
    ProfileImagesForm,
    ProfileListFilterForm,
    ProfileResourcesForm,
    RetractForm,
    media_candidates,
)
from dz_awards.profiles.selectors import (
    nominations_awaiting_profile,
    pdf_status,
    profiles_for_staff,
    with_page_parts,
)
from dz_awards.profiles.views.public import profile_page_context

P = ProfileState
# What a concurrent change of the same profile is called on these pages.
BUSY = "Someone else changed this profile at the same moment. Reload and try again."
BADGE_CLASSES = {
    P.DRAFT: "text-bg-secondary",
    P.PROOF_SENT: "text-bg-info",
    P.AGENCY_APPROVED: "text-bg-primary",
    P.PUBLISHED: "text-bg-success",
    P.RETRACTED: "text-bg-dark",
}


def decorate(profile):
    """Set what the templates show about a profile's state and PDF."""
    profile.badge_css = BADGE_CLASSES[profile.state]
    profile.pdf_status = pdf_status(profile)
    profile.pdf_label = profile.pdf_status.label
    return profile


def back_to_draft_note(before, profile):
    """A sentence when an edit sent a proof back to draft, else ''."""
    if before in (P.PROOF_SENT, P.AGENCY_APPROVED) and profile.state == P.DRAFT:
        return (
            " The proof the agency had is out of date, so the profile is back to draft: "
            "send a new proof when it is ready."
        )
    if profile.state == P.PUBLISHED:
        return " The public page shows it now; the PDF summary is being made again."
    return ""


# The list --------------------------------------------------------------------------------


class ProfileListView(StaffRequiredMixin, TemplateView):
    template_name = "profiles/staff/list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        profiles = profiles_for_staff(self.request.user)
        years = profiles.order_by("-year").values_list("year", flat=True).distinct()
        form = ProfileListFilterForm(self.request.GET or None, years=list(years))
        queryset = profiles.select_related("pdf").order_by("-year", "title")
        if form.is_bound and form.is_valid():
            if form.cleaned_data["state"]:
                queryset = queryset.filter(state=form.cleaned_data["state"])
            if form.cleaned_data["year"]:
                queryset = queryset.filter(year=form.cleaned_data["year"])
        elif form.is_bound:
            queryset = queryset.none()
        page = Paginator(queryset, self.paginate_by).get_page(self.request.GET.get("page"))
        for profile in page:
            decorate(profile)
        query = self.request.GET.copy()
        query.pop("page", None)
        waiting = (
            nominations_awaiting_profile()
            .values("cycle", "cycle__name", "cycle__year")
            .annotate(count=Count("pk"))
            .order_by("-cycle__year")
        )
        return super().get_context_data(
            form=form, page=page, query=query.urlencode(), waiting=list(waiting), **kwargs
        )


class CreateProfilesView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, cycle):
        cycle = get_object_or_404(Cycle, pk=cycle)
        back = f"{reverse('staff:profiles')}?year={cycle.year}"
        try:
            created = services.profiles_create_for_cycle(actor=request.user, cycle=cycle)
        except REFUSALS as error:
            messages.error(request, f"No profile was created. {refusal_message(error, busy=BUSY)}")
            return redirect(back)
        if created:
            count = len(created)
            messages.success(
                request,
                f"{count} draft profile{'s' if count != 1 else ''} created for {cycle.name}, "
                "started from what each agency wrote. Edit each one before sending its proof.",
            )
        else:
            messages.info(
                request, f"Every finalist and winner of {cycle.name} already has a profile."
            )
        return redirect(back)


# One profile -------------------------------------------------------------------------------


class ProfileMixin(StaffRequiredMixin):
    """The profile named in the URL, reached through the staff scope."""

    def get_profile(self):
        if not hasattr(self, "_profile"):
            self._profile = get_object_or_404(
                profiles_for_staff(self.request.user).select_related(
                    "pdf", "prepared_by", "approved_by", "published_by", "updated_by"
                ),
                pk=self.kwargs["pk"],
            )
            decorate(self._profile)
        return self._profile

    def profile_context(self, **kwargs):
        profile = self.get_profile()
        return {"profile": profile, "editable": profile.state in EDITABLE_STATES, **kwargs}


def lifecycle_actions(profile, user):
    """What the editor offers for the profile's state, and why publishing may be barred."""
    return {
        "send_proof": profile.state == P.DRAFT,
        "send_proof_barred": (
            services.NO_AGENCY_ACCOUNT
            if profile.state == P.DRAFT and profile.agency_id is None
            else ""
        ),
        "publish": profile.state == P.AGENCY_APPROVED,
        "publish_barred": services.TWO_PERSON_RULE
        if profile.state == P.AGENCY_APPROVED and profile.prepared_by_id == user.pk
        else "",
        "retract": profile.state == P.PUBLISHED,
        "reopen": profile.state in (P.PROOF_SENT, P.AGENCY_APPROVED, P.RETRACTED),
    }


class ProfileEditView(ProfileMixin, TemplateView):
    template_name = "profiles/staff/edit.html"

    def get_form(self, data=None):
        profile = self.get_profile()
        return ProfileCopyForm(
            data,
            initial=ProfileCopyForm.initial_for(profile),
            editable=profile.state in EDITABLE_STATES,
        )

    def get_context_data(self, **kwargs):
        profile = self.get_profile()
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(
            **self.profile_context(
                actions=lifecycle_actions(profile, self.request.user),
                retract_form=RetractForm(),
                events=audit_events_for(profile)[:50],
                **kwargs,
            )
        )

    def post(self, request, pk):
        profile = self.get_profile()
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        before = profile.state
        try:
            topics = list(form.cleaned_data["topics"])
            for name in form.cleaned_data["new_topics"]:
                topic = services.topic_for_name(actor=request.user, name=name)
                if topic not in topics:
                    topics.append(topic)
            saved = services.profile_save(
                actor=request.user,
                profile=profile,
                data=form.copy_data(),
                topics=topics,
                version=form.cleaned_data["version"],
            )
        except REFUSALS as error:
            refuse(request, error, form=form, busy=BUSY)
            return self.render_to_response(self.get_context_data(form=form))
        if saved.version == profile.version:
            messages.info(request, "Nothing changed, so nothing was saved.")
        else:
            messages.success(
                request,
                f"The profile is saved (version {saved.version})."
                + back_to_draft_note(before, saved),
            )
        return redirect("staff:profile", pk=profile.pk)


class ProfileMediaView(ProfileMixin, TemplateView):
    template_name = "profiles/staff/media.html"

    def forms(self, data=None, part=None):
        profile = self.get_profile()
        editable = profile.state in EDITABLE_STATES
        initial = {"version": profile.version}
        image_candidates = media_candidates(
            services.media_evidence(profile, EvidenceKind.IMAGE), list(profile.images.all())
        )
        resource_candidates = media_candidates(
            services.media_evidence(profile, EvidenceKind.DOCUMENT),
            list(profile.resources.all()),
        )
        return {
            "images_form": ProfileImagesForm(
                data if part == "images" else None,
                initial=initial,
                candidates=image_candidates,
                editable=editable,
                prefix="images",
            ),
            "resources_form": ProfileResourcesForm(
                data if part == "resources" else None,
                initial=initial,
                candidates=resource_candidates,
                editable=editable,
                prefix="resources",
            ),
        }

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.forms()
        return super().get_context_data(**self.profile_context(**forms, **kwargs))

    def post(self, request, pk):
        profile = self.get_profile()
        part = request.POST.get("part")
        if part not in ("images", "resources"):
            messages.error(request, "Choose images or resources, then save.")
            return redirect("staff:profile-media", pk=profile.pk)
        forms = self.forms(request.POST, part)
        form = forms[f"{part}_form"]
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(forms=forms))
        service = (
            services.profile_set_images if part == "images" else services.profile_set_resources
        )
        before = profile.state
        try:
            saved = service(
                actor=request.user,
                profile=profile,
                choices=form.choices(),
                version=form.cleaned_data["version"],
            )
        except REFUSALS as error:
            refuse(request, error, form=form, busy=BUSY)
            return self.render_to_response(self.get_context_data(forms=forms))
        if saved.version == profile.version:
            messages.info(request, "Nothing changed, so nothing was saved.")
        elif part == "images":
            messages.success(
                request,
                "The images are saved. Their sizes for the public page are being made."
                + back_to_draft_note(before, saved),
            )
        else:
            messages.success(
                request, "The resources are saved." + back_to_draft_note(before, saved)
            )
        return redirect("staff:profile-media", pk=profile.pk)


class ProfilePreviewView(ProfileMixin, TemplateView):
    """The public page as it will look: the public template and context, with a staff
    banner, the staff PDF preview, and never indexed or cached."""

    template_name = "profiles/staff/preview.html"

    def get_context_data(self, **kwargs):
        profile = get_object_or_404(
            with_page_parts(profiles_for_staff(self.request.user)), pk=self.kwargs["pk"]
        )
        context = profile_page_context(decorate(profile), proof=True)
        context["pdf_url"] = reverse("staff:profile-preview-pdf", kwargs={"pk": profile.pk})
        context["pdf_print_url"] = ""
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response


class ProfilePreviewPdfView(ProfileMixin, View):
    """The PDF summary of the profile as it is now, rendered for staff on request."""

    def get(self, request, pk):
        from dz_awards.profiles import pdf  # noqa: PLC0415 - WeasyPrint loads only here

        profile = self.get_profile()
        try:
            data, _pages = pdf.render(profile)
        except pdf.PdfRenderError as error:
            messages.error(request, f"The PDF preview could not be made. {error}")
            return redirect("staff:profile", pk=profile.pk)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{profile.slug}-preview.pdf"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# The lifecycle -------------------------------------------------------------------------------


class _LifecycleView(ProfileMixin, View):
    http_method_names = ["post"]
    failure = ""

    def act(self, profile):
        raise NotImplementedError

    def done(self, profile):
        raise NotImplementedError

    def post(self, request, pk):
        profile = self.get_profile()
        try:
            saved = self.act(profile)
        except REFUSALS as error:
            messages.error(request, f"{self.failure} {refusal_message(error, busy=BUSY)}")
        else:
            messages.success(request, self.done(saved))
        return redirect("staff:profile", pk=profile.pk)


class SendProofView(_LifecycleView):
    failure = "The proof was not sent."

    def act(self, profile):
        return services.profile_send_proof(actor=self.request.user, profile=profile)

    def done(self, profile):
        return (
            "The proof is sent: the agency's members are emailed a link to approve it or "
            "ask for changes. Another staff member publishes it once they approve."
        )


class PublishView(_LifecycleView):
    failure = "The profile was not published."

    def act(self, profile):
        return services.profile_publish(actor=self.request.user, profile=profile)

    def done(self, profile):
        return (
            "The profile is published and listed in the public library. Its PDF summary is "
            "being made; until it is ready the download says so."
        )


class RenderPdfView(_LifecycleView):
    failure = "The PDF was not queued."

    def act(self, profile):
        return services.profile_rerender_pdf(actor=self.request.user, profile=profile)

    def done(self, profile):
        return "The PDF summary is being made again; reload this page in a moment."


class ReopenView(_LifecycleView):
    failure = "The profile was not reopened."

    def act(self, profile):
        return services.profile_reopen(actor=self.request.user, profile=profile)

    def done(self, profile):
        return "The profile is back to draft: edit it, then send a new proof to the agency."


class RetractView(ProfileMixin, TemplateView):
    """GET: what retracting does, with the reason to give. POST: retract."""

    template_name = "profiles/staff/retract.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RetractForm())
        return super().get_context_data(**self.profile_context(**kwargs))

    def post(self, request, pk):
        profile = self.get_profile()
        form = RetractForm(request.POST)
        if form.is_valid():
            try:
                services.profile_retract(
                    actor=request.user, profile=profile, reason=form.cleaned_data["reason"]
                )
            except REFUSALS as error:
                refuse(request, error, form=form, busy=BUSY)
            else:
                messages.success(
                    request,
                    "The profile is retracted: it is gone from the directory, search, feed, "
                    "sitemap, open data and its own address.",
                )
                return redirect("staff:profile", pk=profile.pk)
        return self.render_to_response(self.get_context_data(form=form))
