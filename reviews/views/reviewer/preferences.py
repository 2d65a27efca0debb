"""The reviewer's preferences before assignment, per cycle: eager, willing or unwilling
about each nomination of their panels, or a conflict of interest with a reason.

Only blind titles are shown (`services.preference_sheet`); nominations the
reviewer is conflicted with by rule are not there at all. While the window is
open the page is one form saved at once; after the due date it shows what was
said. A refused save (the window closed meanwhile, the list changed) keeps
every answer on the page with the reason.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from dz_awards.core.errors import REFUSALS, refuse
from reviews import selectors, services
from reviews.forms.preferences import PreferencesForm
from reviews.views.reviewer.common import ReviewerRequiredMixin


class PreferencesView(ReviewerRequiredMixin, TemplateView):
    template_name = "reviews/reviewer/preferences.html"

    def get_sheet(self):
        if not hasattr(self, "_sheet"):
            cycle = selectors.preference_cycle_get(self.request.user, self.kwargs["cycle"])
            self._sheet = services.preference_sheet(self.request.user, cycle)
        return self._sheet

    def get_context_data(self, *, form=None, **kwargs):
        kwargs.pop("cycle", None)  # the URL's id: the page shows the cycle itself
        sheet = self.get_sheet()
        if form is None and sheet.is_open:
            form = PreferencesForm(lines=sheet.lines)
        fields = form.fields_by_key() if form is not None else {}
        panels = [
            {
                "panel": panel,
                "rows": [{"line": line, "fields": fields.get(line.key)} for line in panel.lines],
            }
            for panel in sheet.panels
        ]
        return super().get_context_data(
            sheet=sheet,
            cycle=sheet.cycle,
            form=form,
            panels=panels,
            answerable=len(sheet.open_lines),
            **kwargs,
        )

    def post(self, request, cycle):
        sheet = self.get_sheet()
        form = PreferencesForm(request.POST, lines=sheet.lines)
        if form.is_valid():
            try:
                saved = services.preferences_save(
                    user=request.user, cycle=sheet.cycle, answers=form.answers()
                )
            except REFUSALS as error:
                refuse(request, error, form=form)
            else:
                messages.success(
                    request,
                    "Your preferences are saved. You can change them until they are due."
                    if saved.changed
                    else "Nothing changed: these answers were already saved.",
                )
                return redirect("reviews:preferences", cycle=sheet.cycle.pk)
        form.mark_errors()
        return self.render_to_response(self.get_context_data(form=form))
