"""Pages both the agency and program staff use: revisions, differences, files, messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import refuse
from dz_awards.core.limits import rate_limit
from dz_awards.core.storage import stored_file_response
from dz_awards.nominations import selectors, services
from dz_awards.nominations.forms import MessageForm
from dz_awards.nominations.snapshots import changes, readable_items, snapshot
from dz_awards.nominations.views.access import NominationAccessMixin


class RevisionView(NominationAccessMixin, TemplateView):
    template_name = "nominations/shared/revision.html"

    def get_context_data(self, **kwargs):
        revision = selectors.revision_get(self.get_nomination(), self.kwargs["number"])
        return super().get_context_data(
            revision=revision,
            items=readable_items(revision.content, audience=self.audience),
            **kwargs,
        )


def _parse_number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ChangesView(NominationAccessMixin, TemplateView):
    """What changed between two revisions, or between a revision and the current text."""

    template_name = "nominations/shared/changes.html"

    def get_context_data(self, **kwargs):
        nomination = self.get_nomination()
        revisions = list(selectors.revisions_of(nomination))
        by_number = {r.number: r for r in revisions}
        # The agency may compare its current, unsubmitted text; staff see submitted text only.
        can_compare_current = self.audience == "agency" and nomination.is_editable
        choices = [(str(r.number), f"Revision {r.number}") for r in revisions]
        if can_compare_current:
            choices.append(("current", "Current text (not yet submitted)"))
        newest = (
            "current" if can_compare_current else (str(revisions[-1].number) if revisions else "")
        )
        requested_to = self.request.GET.get("to") or newest
        if requested_to not in {value for value, _label in choices}:
            requested_to = newest
        to_number = _parse_number(requested_to)
        default_from = (
            (to_number - 1) if to_number else (revisions[-1].number if revisions else None)
        )
        from_number = _parse_number(self.request.GET.get("from")) or default_from
        if from_number not in by_number:
            from_number = revisions[0].number if revisions else None
        context = {
            "choices": choices,
            "from_value": str(from_number or ""),
            "to_value": requested_to,
        }
        if from_number and requested_to:
            before = by_number[from_number].content
            after = (
                snapshot(nomination) if requested_to == "current" else by_number[to_number].content
            )
            context["changes"] = changes(before, after, audience=self.audience)
            context["compared"] = True
        return super().get_context_data(**context, **kwargs)


def evidence_file_response(stored, *, name, extension, content_type):
    """A stored file as a download, never rendered by the browser; 404 if it is gone.

    The name offered ends in the extension of what the file is, whatever it was called.
    """
    if not stored.name:
        raise Http404
    stem = name.rsplit(".", 1)[0] if "." in name else ""
    try:
        response = stored_file_response(
            stored.storage,
            stored.name,
            as_attachment=True,
            filename=f"{stem or name or 'file'}{extension}",
            content_type=content_type,
        )
    except FileNotFoundError:
        raise Http404 from None
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class EvidenceDownloadView(NominationAccessMixin, View):
    """A file, only as a download: the agency gets its own upload back; staff get the
    clean copy (a PDF rewritten without metadata, attachments or scripts), as reviewers
    do; the original is a separate, recorded action (`EvidenceOriginalView`)."""

    def get(self, request, pk, evidence):
        item = selectors.evidence_downloadable(
            self.get_nomination(), evidence, audience=self.audience
        )
        stored = item.file if self.audience == "agency" else item.clean_copy
        return evidence_file_response(
            stored,
            name=item.original_name,
            extension=item.extension,
            content_type=item.content_type,
        )


class EvidenceOriginalView(StaffRequiredMixin, NominationAccessMixin, View):
    """Staff open the agency's original upload of a PDF: a POST, so that no link
    preview, prefetch or crawler can open it, and each opening is recorded with the
    file's name. (An image keeps no original: its re-encoded file is all there is.)"""

    http_method_names = ["post"]
    audience = "staff"

    def post(self, request, pk, evidence):
        item = selectors.evidence_downloadable(self.get_nomination(), evidence, audience="staff")
        services.evidence_original_open(actor=request.user, evidence=item)
        return evidence_file_response(
            item.file,
            name=item.original_name,
            extension=item.extension,
            content_type=item.content_type,
        )


@method_decorator(rate_limit("message"), name="dispatch")
class MessagePostView(NominationAccessMixin, View):
    def post(self, request, pk):
        nomination = self.get_nomination()
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.message_post(
                    user=request.user, nomination=nomination, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                refuse(request, error)
            else:
                messages.success(request, "Your message is sent.")
        else:
            # Keep what was typed: a too-long message comes back in the form.
            request.session["unsent_message"] = {
                "pk": str(pk),
                "body": request.POST.get("body", ""),
            }
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(self.nomination_url("detail") + "#messages")


def thread_context(request, nomination, *, audience):
    """The thread for a nomination's page: its messages, which of them are new to the
    person reading (`unread_ids`, marked on the page), and the message form.

    Drawing the page is reading it: the person's mark moves to the newest message
    shown, so the next page they open counts only what arrives after.
    """
    thread = list(selectors.messages_of(nomination))
    unread_ids = selectors.unread_message_ids(nomination, request.user, audience=audience)
    if thread:
        services.thread_mark_read(user=request.user, nomination=nomination, up_to=thread[-1].pk)
    return {
        "thread": thread,
        "unread_ids": unread_ids,
        "message_form": message_form_for(request, nomination),
    }


def message_form_for(request, nomination):
    """The message form, holding any text a failed send left behind."""
    kept = request.session.pop("unsent_message", None)
    if kept and kept.get("pk") == str(nomination.pk):
        return MessageForm(initial={"body": kept["body"]})
    return MessageForm()
