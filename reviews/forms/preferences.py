"""The reviewer's preferences page as a form: one group of fields per nomination.

Forms validate; `services.preferences_save` writes. Field names carry the
nomination's id (`preference-<id>`, `conflict-<id>`, `reason-<id>`), for the
nominations the page lists and the reviewer may still answer. A posted answer
about any other nomination (the page is stale, or the request was made up) is
an error on the whole form, never silently dropped: the reviewer sees what they
typed and why nothing was saved.
"""

from django import forms

from reviews.enums import Preference
from reviews.forms.reviewer import NOTE_LIMIT, TOO_LONG, PlainTextField, mark_errors
from reviews.services import PreferenceAnswer, PreferenceLine
from reviews.services.assignments import CONFLICT_REASON_NEEDED

FIELD_PREFIXES = ("preference-", "conflict-", "reason-")


class PreferencesForm(forms.Form):
    def __init__(self, *args, lines: list[PreferenceLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.conflict is None]
        for line in self.lines:
            self.fields[f"preference-{line.key}"] = forms.ChoiceField(
                label=f"Your preference for “{line.title}”",
                choices=Preference.choices,
                initial=line.preference,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": "Choose eager, willing or unwilling.",
                    "invalid_choice": "Choose eager, willing or unwilling.",
                },
            )
            self.fields[f"conflict-{line.key}"] = forms.BooleanField(
                label="I have a conflict of interest with this nomination",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"reason-{line.key}"] = PlainTextField(
                label=f"What is the conflict with “{line.title}”?",
                required=False,
                max_length=NOTE_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                error_messages={"max_length": TOO_LONG},
            )
            reason = self[f"reason-{line.key}"]
            reason.field.widget.attrs["aria-describedby"] = f"{reason.auto_id}_helptext"

    def clean(self):
        cleaned = super().clean()
        known = {line.key for line in self.lines}
        strangers = {
            name.removeprefix(prefix)
            for name in self.data
            for prefix in FIELD_PREFIXES
            if name.startswith(prefix)
        } - known
        if strangers:
            raise forms.ValidationError(
                "Some answers are about nominations that are not on this page any more "
                "(or never were). Nothing was saved: reload the page for the current list.",
                code="unknown_nomination",
            )
        for line in self.lines:
            reason = cleaned.get(f"reason-{line.key}", "")
            if cleaned.get(f"conflict-{line.key}") and not (reason or "").strip():
                self.add_error(f"reason-{line.key}", CONFLICT_REASON_NEEDED)
        return cleaned

    def mark_errors(self) -> None:
        mark_errors(self)

    def fields_by_key(self) -> dict[str, tuple[forms.BoundField, ...]]:
        """{nomination key: (preference, conflict, reason)} for the template."""
        return {
            line.key: (
                self[f"preference-{line.key}"],
                self[f"conflict-{line.key}"],
                self[f"reason-{line.key}"],
            )
            for line in self.lines
        }

    def answers(self) -> dict[str, PreferenceAnswer]:
        """What the service saves, from a valid form."""
        data = self.cleaned_data
        return {
            line.key: PreferenceAnswer(
                preference=data[f"preference-{line.key}"],
                conflict=data[f"conflict-{line.key}"],
                reason=data.get(f"reason-{line.key}") or "",
            )
            for line in self.lines
        }
