"""Pages for agency members: start, write, upload, submit, follow and withdraw a nomination."""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views import View
from django.views.generic import FormView, TemplateView

from dz_awards.agencies.selectors import agencies_for_member
from dz_awards.core.errors import refusal_message, refuse
from dz_awards.core.limits import rate_limit
from dz_awards.cycles.models import Cycle
from dz_awards.cycles.selectors import cycle_current, cycle_next_taking_drafts
from dz_awards.nominations import selectors, services
from dz_awards.nominations.content import LABELS, SECTIONS, SNAPSHOT_ORDER
from dz_awards.nominations.enums import EvidenceKind, NominationState
from dz_awards.nominations.forms import (
    ConflictForm,
    EvidenceForm,
    NominationForm,
    NominationStartForm,
    RenewalForm,
    WithdrawForm,
)
from dz_awards.nominations.snapshots import as_text, readable_items, snapshot
from dz_awards.nominations.uploads import display_name, limits
from dz_awards.nominations.validation import completeness, submission_problems
from dz_awards.nominations.views.access import NominationAccessMixin
from dz_awards.nominations.views.shared import thread_context

# Text typed into a form whose session had ended, kept in the new session until sign-in.
# One form's text at a time, for an hour, and no more than every answer at its limit
# several times over: an anonymous session is not a place to store without bound.
KEPT_DRAFT = "kept_nomination_draft"
KEPT_DRAFT_MAX_CHARS = 200_000
KEPT_DRAFT_SECONDS = 3600


def _saved_at_text(nomination):
    return date_format(timezone.localtime(nomination.updated_at), "g:i A")


def _progress_json(nomination):
    return [
        {"key": p.key, "done": p.done, "total": p.total, "complete": p.complete}
        for p in completeness(nomination)
    ]


def _posted_version(data):
    try:
        return int(data.get("version", ""))
    except (TypeError, ValueError):
        return 0  # no version: treat as stale, so nothing is overwritten


class NominationStartView(LoginRequiredMixin, TemplateView):
    """Start a nomination from scratch, or from an earlier one (renewal)."""

    template_name = "nominations/agency/start.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cycle = cycle_current()
            self.agencies = agencies_for_member(request.user).order_by("name")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # A form passed in (re-shown with its errors) is kept; the other is made fresh.
        context = {"cycle": self.cycle, "agencies": self.agencies, **kwargs}
        if self.cycle and self.agencies.exists():
            context.setdefault(
                "form",
                NominationStartForm(
                    agencies=self.agencies,
                    cycle=self.cycle,
                    initial={"agency": self.request.GET.get("agency")},
                ),
            )
            earlier = selectors.earlier_nominations(self.request.user, self.cycle)
            if earlier.exists():
                context.setdefault("renewal_form", RenewalForm(earlier=earlier))
        return super().get_context_data(**context)

    def post(self, request):
        if not self.cycle or not self.agencies.exists():
            return redirect("nominations:start")
        if request.POST.get("start") == "renew":
            return self._renew(request)
        form = NominationStartForm(request.POST, agencies=self.agencies, cycle=self.cycle)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            nomination = services.nomination_create(
                user=request.user,
                agency=form.cleaned_data["agency"],
                cycle=self.cycle,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
            )
        except services.NominationError as error:
            refuse(request, error)
            return redirect("nominations:start")
        messages.success(request, "Your draft is started. It saves as you type.")
        return redirect("nominations:edit", pk=nomination.pk)

    def _renew(self, request):
        earlier = selectors.earlier_nominations(request.user, self.cycle)
        form = RenewalForm(request.POST, earlier=earlier)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(renewal_form=form))
        try:
            nomination = services.nomination_renew(
                user=request.user, previous=form.cleaned_data["previous"], cycle=self.cycle
            )
        except services.NominationError as error:
            refuse(request, error)
            return redirect("nominations:start")
        messages.success(
            request,
            "A new draft is ready with last time's answers. Update the figures, check "
            "every section, and ask the head of your agency to confirm it again.",
        )
        return redirect("nominations:edit", pk=nomination.pk)


class NominationDetailView(NominationAccessMixin, TemplateView):
    template_name = "nominations/agency/detail.html"

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        now = timezone.now()
        return super().get_context_data(
            items=readable_items(snapshot(nomination)),
            evidence=selectors.evidence_of(nomination),
            revisions=list(selectors.revisions_of(nomination)),
            **thread_context(self.request, nomination, audience="agency"),
            timeline=selectors.timelines([nomination])[nomination.pk],
            conflicts=selectors.conflicts_open(nomination, self.request.user),
            deadline_passed=nomination.cycle.has_closed(now),
            next_cycle=cycle_next_taking_drafts(nomination.cycle, now),
            **kwargs,
        )


class NominationEditView(NominationAccessMixin, TemplateView):
    """The long form. Saves without checking; a stale save becomes a conflict, never a loss."""

    template_name = "nominations/agency/edit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return self._keep_and_sign_in(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _keep_and_sign_in(self, request, pk):
        """The session ended while typing: keep the text in this browser's new session."""
        data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        if sum(len(k) + len(v) for k, v in data.items()) <= KEPT_DRAFT_MAX_CHARS:
            request.session[KEPT_DRAFT] = {
                "pk": str(pk),
                "at": int(timezone.now().timestamp()),
                "data": data,
            }
            messages.warning(
                request,
                "Your session ended before your text was saved. Sign in again: the text you "
                "typed is kept and will be back in the form.",
            )
        else:
            messages.error(
                request,
                "Your session ended and your text is too long to keep here. Go back in your "
                "browser to copy it, then sign in again.",
            )
        return redirect_to_login(request.path)

    def _kept_draft(self):
        kept = self.request.session.get(KEPT_DRAFT)
        if not kept or kept.get("pk") != str(self.kwargs["pk"]):
            return None
        del self.request.session[KEPT_DRAFT]
        if timezone.now().timestamp() - kept.get("at", 0) > KEPT_DRAFT_SECONDS:
            return None
        return kept["data"]

    def get(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        if not nomination.is_editable:
            messages.info(request, "This nomination is submitted and can no longer be changed.")
            return redirect(nomination)
        kept = self._kept_draft()
        if kept is not None:
            messages.warning(
                request,
                "This is the text you typed before your session ended. It is not saved yet: "
                "check it and choose Save draft.",
            )
            form = NominationForm(kept, nomination=nomination)
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form, unsaved=True))
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        form = kwargs.pop("form", None) or NominationForm(nomination=nomination)
        return super().get_context_data(
            form=form,
            sections=[
                (section, progress, [form[f.name] for f in section.fields])
                for section, progress in zip(SECTIONS, completeness(nomination), strict=True)
            ],
            conflicts=selectors.conflicts_open(nomination, self.request.user),
            evidence_count=nomination.evidence.count(),
            deadline_passed=nomination.cycle.has_closed(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        form = NominationForm(request.POST, nomination=nomination)
        try:
            result = services.nomination_save_draft(
                user=request.user,
                nomination=nomination,
                content=form.content(),
                version=_posted_version(request.POST),
            )
        except services.NominationError as error:
            # Locked meanwhile (a colleague submitted it): show the text so none is lost.
            messages.error(
                request, f"{refusal_message(error)} Your text is below so that you can copy it."
            )
            return self.render_to_response(self.get_context_data(form=form, locked=True))
        if not result.saved:
            messages.warning(
                request,
                "Someone saved this nomination after you opened it. Nothing was overwritten: "
                "compare the two versions and choose what to keep.",
            )
            return redirect(result.conflict)
        self._nomination = result.nomination
        if form.errors or form.outcomes.total_error_count():
            form.data = form.data.copy()
            form.data["version"] = result.nomination.version
            messages.error(
                request,
                "Your draft is saved, except the answers marked below. "
                "Correct them and save again.",
            )
            return self.render_to_response(self.get_context_data(form=form))
        if request.POST.get("next") == "review":
            return redirect("nominations:submit", pk=nomination.pk)
        messages.success(request, f"Draft saved at {_saved_at_text(result.nomination)}.")
        return redirect("nominations:edit", pk=nomination.pk)


class NominationAutosaveView(View):
    """The form's background save. JSON in both directions; never a redirect.

    GET returns the saved version and a fresh CSRF token (the page asks after a
    sign-in in another tab rotated the token). POST saves like "Save draft".
    """

    def _nomination(self, request, pk):
        return selectors.nomination_get_for_member(request.user, pk)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "status": "signed_out",
                    "message": "Your session has ended. Sign in again to keep saving.",
                },
                status=401,
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        nomination = self._nomination(request, pk)
        return JsonResponse({"version": nomination.version, "csrf_token": get_token(request)})

    def post(self, request, pk):
        nomination = self._nomination(request, pk)
        form = NominationForm(request.POST, nomination=nomination)
        try:
            result = services.nomination_save_draft(
                user=request.user,
                nomination=nomination,
                content=form.content(),
                version=_posted_version(request.POST),
            )
        except services.NominationError as error:
            return JsonResponse({"status": "locked", "message": refusal_message(error)}, status=409)
        if not result.saved:
            return JsonResponse(
                {
                    "status": "conflict",
                    "message": "Someone else saved this nomination. "
                    "Your text is kept: compare the versions.",
                    "conflict_url": result.conflict.get_absolute_url(),
                },
                status=409,
            )
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse(
            {
                "status": "saved",
                "version": result.nomination.version,
                "saved_at": _saved_at_text(result.nomination),
                "progress": _progress_json(result.nomination),
                "errors": errors,
            }
        )


def draft_differences(nomination, content):
    """(field, label, saved text, kept text) for each answer that differs."""
    mine = copy.copy(nomination)
    services.nomination_apply_content(mine, content)
    saved_data, mine_data = snapshot(nomination), snapshot(mine)
    return [
        (name, LABELS[name], as_text(name, saved_data[name]), as_text(name, mine_data[name]))
        for name in SNAPSHOT_ORDER
        if as_text(name, saved_data[name]) != as_text(name, mine_data[name])
    ]


class ConflictView(NominationAccessMixin, TemplateView):
    """Two versions of the same draft: choose, answer by answer, which to keep."""

    template_name = "nominations/agency/conflict.html"

    def get_conflict(self):
        return selectors.conflict_get(
            self.get_nomination(), self.request.user, self.kwargs["conflict"]
        )

    def get_context_data(self, **kwargs):
        # TemplateView.get passes the URL's kwargs: its conflict id gives way to the object.
        kwargs.pop("conflict", None)
        nomination = self.get_nomination()
        conflict = self.get_conflict()
        differences = draft_differences(nomination, services.conflict_content(conflict))
        form = kwargs.pop("form", None) or ConflictForm(
            differences=differences, initial={"version": nomination.version}
        )
        return super().get_context_data(
            conflict=conflict, differences=differences, form=form, **kwargs
        )

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        conflict = self.get_conflict()
        differences = draft_differences(nomination, services.conflict_content(conflict))
        form = ConflictForm(request.POST, differences=differences)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.nomination_resolve_conflict(
                user=request.user,
                conflict=conflict,
                take_mine=form.take_mine(),
                version=form.cleaned_data["version"],
            )
        except services.NominationError as error:
            # A warning, not an error: nothing was lost, the comparison is shown afresh.
            messages.warning(request, refusal_message(error))
            self._nomination = selectors.nomination_get_for_member(request.user, kwargs["pk"])
            if not self._nomination.is_editable:
                return redirect(self._nomination)
            return redirect(conflict)
        messages.success(request, "Your choices are saved.")
        return redirect("nominations:edit", pk=nomination.pk)


class NominationSubmitView(NominationAccessMixin, TemplateView):
    """Check everything, then submit (or resubmit). Every problem is listed and linked."""

    template_name = "nominations/agency/submit.html"

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        now = timezone.now()
        kwargs.setdefault("problems", submission_problems(nomination))
        return super().get_context_data(
            deadline_passed=nomination.cycle.has_closed(now),
            next_cycle=cycle_next_taking_drafts(nomination.cycle, now),
            evidence_count=nomination.evidence.count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        resubmitting = nomination.state == NominationState.RETURNED
        service = services.nomination_resubmit if resubmitting else services.nomination_submit
        try:
            revision = service(user=request.user, nomination=nomination)
        except services.IncompleteNominationError as error:
            return self.render_to_response(self.get_context_data(problems=error.problems))
        except services.NominationError as error:
            # Usually already done (a second click, a colleague): information, not a fault.
            messages.info(request, refusal_message(error))
            return redirect(nomination)
        messages.success(
            request,
            f"{'Resubmitted' if resubmitting else 'Submitted'}: revision {revision.number} is "
            f"with program staff. A receipt with a copy is on its way to {request.user.email}.",
        )
        return redirect(nomination)


class NominationWithdrawView(NominationAccessMixin, FormView):
    template_name = "nominations/agency/withdraw.html"
    form_class = WithdrawForm

    def form_valid(self, form):
        nomination = self.get_nomination()
        try:
            services.nomination_withdraw(
                user=self.request.user, nomination=nomination, reason=form.cleaned_data["reason"]
            )
        except services.NominationError as error:
            refuse(self.request, error)
        else:
            messages.success(self.request, "The nomination is withdrawn.")
        return redirect(nomination)


class NominationDeleteView(NominationAccessMixin, TemplateView):
    template_name = "nominations/agency/delete.html"

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        try:
            services.nomination_delete(user=request.user, nomination=nomination)
        except services.NominationError as error:
            refuse(request, error)
            return redirect(nomination)
        messages.success(request, "The draft and its files are deleted.")
        return redirect("portal:dashboard")


class NominationMoveView(NominationAccessMixin, View):
    def post(self, request, pk):
        nomination = self.get_nomination()
        cycle = get_object_or_404(Cycle, pk=request.POST.get("cycle") or 0)
        try:
            services.nomination_move_to_cycle(user=request.user, nomination=nomination, cycle=cycle)
        except services.NominationError as error:
            refuse(request, error)
            return redirect(nomination)
        messages.success(
            request,
            f"The draft is now part of {cycle.name}. Check the category and ask the head of "
            "your agency to confirm it again.",
        )
        return redirect("nominations:edit", pk=pk)


@method_decorator(rate_limit("upload"), name="dispatch")
class EvidenceView(NominationAccessMixin, TemplateView):
    """The nomination's files: limits up front, the list, and the upload form.

    One POST may carry several files (a browser without the page's script sends
    all it was given at once; the script sends each file alone, for a progress
    bar per file). Each file is checked and stored on its own: a refused file
    is named with its reason, and the files that passed are kept. The rate
    limit counts requests, whatever they carry.
    """

    template_name = "nominations/agency/evidence.html"

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        used_bytes, used_files = services.evidence_usage(nomination)
        rules = limits()
        return super().get_context_data(
            form=kwargs.pop("form", None) or EvidenceForm(),
            evidence=selectors.evidence_of(nomination),
            limits=rules,
            used_bytes=used_bytes,
            used_files=used_files,
            # What the page's script checks before sending (the server checks again).
            files_left=max(rules.files - used_files, 0),
            bytes_left=max(rules.quota_bytes - used_bytes, 0),
            **kwargs,
        )

    def _add_each(self, request, nomination, form):
        """Store each posted file through the service; (stored, refused) in posted order.

        `refused` holds (file name, message). A refusal of the nomination itself
        (no longer editable) is put on the form and ends the loop: it would be the
        same for every file.
        """
        stored, refused = [], []
        for upload in form.cleaned_data["file"]:
            try:
                evidence = services.evidence_add(
                    user=request.user,
                    nomination=nomination,
                    upload=upload,
                    kind=form.cleaned_data["kind"],
                    alt_text=form.cleaned_data["alt_text"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                refused.append((display_name(upload.name), refusal_message(error)))
            except services.NominationError as error:
                refuse(request, error, form=form)
                break
            else:
                stored.append(evidence)
        return stored, refused

    def post(self, request, *args, **kwargs):
        nomination = self.get_nomination()
        wants_json = request.headers.get("Accept", "").startswith("application/json")
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            stored, refused = self._add_each(request, nomination, form)
            several = len(form.cleaned_data["file"]) > 1
            for name, message in refused:
                # Named when several were sent, so each reason is tied to its file.
                form.add_error("file", f"{name}: {message}" if several else message)
            if stored:
                messages.success(request, _uploaded_text(stored))
            if not form.errors:
                url = reverse("nominations:evidence", kwargs={"pk": nomination.pk})
                if wants_json:
                    return JsonResponse({"status": "uploaded", "redirect": url})
                return redirect(url)
        if wants_json:
            errors = [
                f"{form.fields[name].label if name in form.fields else 'Upload'}: {error}"
                if name != "__all__"
                else error
                for name, errs in form.errors.items()
                for error in errs
            ]
            return JsonResponse({"status": "invalid", "errors": errors}, status=400)
        # The files that passed are stored and listed; the refused ones are named above
        # the form with their reasons.
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _uploaded_text(stored):
    """The success message for the files stored by one request."""
    note = (
        " It is being checked and will be ready in a moment."
        if any(evidence.kind == EvidenceKind.IMAGE for evidence in stored)
        else ""
    )
    if len(stored) == 1:
        return f"{stored[0].original_name} is uploaded.{note}"
    names = ", ".join(evidence.original_name for evidence in stored)
    note = note.replace("It is", "Each is")
    return f"{len(stored)} files are uploaded: {names}.{note}"


class EvidenceDeleteView(NominationAccessMixin, View):
    def post(self, request, pk, evidence):
        nomination = self.get_nomination()
        item = selectors.evidence_get(nomination, evidence)
        try:
            services.evidence_delete(user=request.user, evidence=item)
        except services.NominationError as error:
            refuse(request, error)
        else:
            messages.success(request, f"{item.original_name} is deleted.")
        return redirect("nominations:evidence", pk=pk)
