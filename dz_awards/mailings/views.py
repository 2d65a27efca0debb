"""Program staff pages for email: each kind's wording per cycle, and messages to agencies.

A message is written, then checked (who gets it: the count of agencies and
people, and the message as the first of them reads it), then confirmed;
its page then shows how many of its emails the outbox has delivered,
reloading itself (an HTTP `Refresh` header, no JavaScript) until none waits.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from dz_awards.accounts.mixins import StaffRequiredMixin
from dz_awards.core.errors import REFUSALS, refuse
from dz_awards.cycles.emails import DEFAULTS, PLACEHOLDERS, EmailKind
from dz_awards.cycles.models import Cycle, EmailTemplate
from dz_awards.cycles.services import email_template_reset, email_template_save
from dz_awards.mailings import selectors
from dz_awards.mailings.forms import BulkMessageForm, EmailTemplateForm
from dz_awards.mailings.models import BulkMessage
from dz_awards.mailings.services import MESSAGE_PLACEHOLDERS, bulk_message_send, message_render
from dz_awards.nominations.emails import email_preview

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

# Seconds between reloads of a message's page while its emails wait in the outbox.
REFRESH_SECONDS = 5


class CycleMixin:
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_cycle(self) -> Cycle:
        if not hasattr(self, "_cycle"):
            self._cycle = get_object_or_404(Cycle, pk=self.kwargs["cycle"])
        return self._cycle


class EmailTemplateListView(StaffRequiredMixin, CycleMixin, TemplateView):
    template_name = "mailings/staff/email_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cycle = self.get_cycle()
        own = {
            row.kind: row
            for row in EmailTemplate.objects.filter(cycle=cycle).select_related("updated_by")
        }
        kinds = [(DEFAULTS[kind], own.get(kind)) for kind in EmailKind]
        return {**super().get_context_data(**kwargs), "cycle": cycle, "kinds": kinds}


class EmailTemplateEditView(StaffRequiredMixin, CycleMixin, View):
    """GET: the wording in use and its preview. POST: preview what was typed, or save it."""

    template_name = "mailings/staff/email_edit.html"

    def get_kind(self) -> EmailKind:
        try:
            return EmailKind(self.kwargs["kind"])
        except ValueError:
            raise Http404 from None

    def page(
        self, form: EmailTemplateForm, *, subject: str | None, body: str | None
    ) -> HttpResponse:
        cycle, kind = self.get_cycle(), self.get_kind()
        preview = None
        if subject is not None or not form.is_bound:
            preview = email_preview(cycle, kind, subject=subject, body=body)
        own = EmailTemplate.objects.filter(cycle=cycle, kind=kind).select_related("updated_by")
        default = DEFAULTS[kind]
        return render(
            self.request,
            self.template_name,
            {
                "cycle": cycle,
                "kind": kind,
                "default": default,
                "own": own.first(),
                "form": form,
                "preview": preview,
                "placeholders": [(name, PLACEHOLDERS[name]) for name in default.placeholders],
            },
        )

    def get(self, request: HttpRequest, cycle: int, kind: str) -> HttpResponse:
        the_kind = self.get_kind()
        own = EmailTemplate.objects.filter(cycle=self.get_cycle(), kind=the_kind).first()
        default = DEFAULTS[the_kind]
        initial = (
            {"subject": own.subject, "body": own.body}
            if own
            else {"subject": default.subject, "body": default.starting_body()}
        )
        return self.page(EmailTemplateForm(initial=initial, kind=the_kind), subject=None, body=None)

    def post(self, request: HttpRequest, cycle: int, kind: str) -> HttpResponse:
        the_kind = self.get_kind()
        form = EmailTemplateForm(request.POST, kind=the_kind)
        if not form.is_valid():
            return self.page(form, subject=None, body=None)
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if "save" not in request.POST:
            return self.page(form, subject=subject, body=body)
        try:
            email_template_save(
                actor=request.user,
                cycle=self.get_cycle(),
                kind=the_kind,
                subject=subject,
                body=body,
            )
        except REFUSALS as error:
            refuse(request, error, form=form)
            return self.page(form, subject=None, body=None)
        messages.success(request, f"Saved: “{the_kind.label}” now uses this wording.")
        return redirect("staff:email-template", cycle=cycle, kind=the_kind.value)


class EmailTemplateResetView(StaffRequiredMixin, CycleMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, cycle: int, kind: str) -> HttpResponse:
        try:
            the_kind = EmailKind(kind)
        except ValueError:
            raise Http404 from None
        if email_template_reset(actor=request.user, cycle=self.get_cycle(), kind=the_kind):
            messages.success(request, f"“{the_kind.label}” uses the default wording again.")
        return redirect("staff:email-template", cycle=cycle, kind=the_kind.value)


class BulkMessageListView(StaffRequiredMixin, CycleMixin, TemplateView):
    template_name = "mailings/staff/message_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cycle = self.get_cycle()
        return {
            **super().get_context_data(**kwargs),
            "cycle": cycle,
            "sent": selectors.bulk_messages_of(cycle),
        }


class BulkMessageNewView(StaffRequiredMixin, CycleMixin, View):
    """Write (GET), check who gets it (POST `check`), then send (POST `send`)."""

    def page(self, form: BulkMessageForm, template: str, **context: Any) -> HttpResponse:
        return render(
            self.request,
            template,
            {
                "cycle": self.get_cycle(),
                "form": form,
                "placeholders": list(MESSAGE_PLACEHOLDERS.items()),
                **context,
            },
        )

    def get(self, request: HttpRequest, cycle: int) -> HttpResponse:
        form = BulkMessageForm(cycle=self.get_cycle())
        return self.page(form, "mailings/staff/message_new.html")

    def post(self, request: HttpRequest, cycle: int) -> HttpResponse:
        the_cycle = self.get_cycle()
        form = BulkMessageForm(request.POST, cycle=the_cycle)
        if not form.is_valid() or "edit" in request.POST:
            return self.page(form, "mailings/staff/message_new.html")
        data = form.cleaned_data
        if "send" in request.POST and data["token"] is not None:
            try:
                message, sent_now = bulk_message_send(
                    actor=request.user,
                    token=data["token"],
                    cycle=the_cycle,
                    category=data["category"],
                    state=data["state"],
                    subject=data["subject"],
                    body=data["body"],
                )
            except REFUSALS as error:
                refuse(request, error, form=form)
                return self.page(form, "mailings/staff/message_new.html")
            if sent_now:
                messages.success(request, "The message is on its way.")
            else:
                messages.info(request, "This message was already sent; it was not sent again.")
            return redirect(message)
        return self.confirm(form)

    def confirm(self, form: BulkMessageForm) -> HttpResponse:
        """Who would get the message, and how the first of them would read it."""
        data = form.cleaned_data
        cycle = self.get_cycle()
        reach = selectors.message_reach(cycle, category=data["category"], state=data["state"])
        sample = None
        if reach.agencies:
            agency = reach.agencies[0]
            people = reach.people[agency.pk]
            sample = message_render(
                cycle,
                agency,
                people[0] if people else None,
                subject=data["subject"],
                body=data["body"],
            )
        confirmed = BulkMessageForm({**form.data.dict(), "token": str(uuid.uuid4())}, cycle=cycle)
        confirmed.is_valid()
        return self.page(
            confirmed, "mailings/staff/message_confirm.html", reach=reach, sample=sample
        )


class BulkMessageDetailView(StaffRequiredMixin, View):
    """A sent message: its progress through the outbox and the agencies it went to."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = get_object_or_404(
            BulkMessage.objects.select_related("cycle", "category", "sent_by"), pk=pk
        )
        progress = selectors.message_progress(message)
        recipients = [
            (row, progress.by_agency.get(str(row.agency_id))) for row in message.recipients.all()
        ]
        stopped = request.GET.get("refresh") == "off"
        response = render(
            request,
            "mailings/staff/message_detail.html",
            {
                "message": message,
                "cycle": message.cycle,
                "progress": progress,
                "recipients": recipients,
                "refresh_stopped": stopped,
                "refresh_seconds": REFRESH_SECONDS,
            },
        )
        if not progress.done and not stopped:
            response["Refresh"] = str(REFRESH_SECONDS)
        return response
