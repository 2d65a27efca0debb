"""Forms of the staff list's bulk actions. Forms validate; `reviews.bulk` runs services.

The selection form names nominations by id; the view looks each one up again
through the staff scope, so an id typed by hand reaches nothing staff may not see.
"""

import uuid
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from reviews.bulk import ACTION_CHOICES, OUTCOME_CHOICES, BulkAction

TEXT_LIMIT = 5000


class IdListField(forms.Field):
    """Nomination ids, as ticked in the list (any number, each a UUID)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        ids = []
        for item in value or []:
            try:
                ids.append(str(uuid.UUID(str(item))))
            except ValueError as error:
                raise forms.ValidationError("That choice of nominations is not valid.") from error
        return ids


class BulkSelectionForm(forms.Form):
    """What the list posts: an action, and the rows ticked or every row matching the filter."""

    action = forms.ChoiceField(label="With the chosen nominations", choices=ACTION_CHOICES)
    selected = IdListField(required=False)
    all_matching = forms.BooleanField(required=False)
    # The list's own query string (filters and sort), to find "all matching" again.
    query = forms.CharField(required=False, max_length=4000)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("selected") and not data.get("all_matching"):
            raise forms.ValidationError(
                "Choose at least one nomination, or every nomination matching the filter."
            )
        return data


class BulkConfirmForm(forms.Form):
    """The confirmation page: the message or reason, or the outcome, that the action needs."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_LIMIT, required=False
    )
    outcome = forms.ChoiceField(label="Decision", choices=OUTCOME_CHOICES, required=False)

    def __init__(self, *args: Any, action: BulkAction, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action.text_label:
            self.fields["text"].required = True
            self.fields["text"].label = action.text_label
            self.fields["text"].help_text = action.text_help
        else:
            del self.fields["text"]
        if action.asks_outcome:
            self.fields["outcome"].required = True
            self.fields[
                "outcome"
            ].help_text = "Nothing changes for the agencies until decisions are released."
        else:
            del self.fields["outcome"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", bulk_heading(action, count)))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("This field is required.")
        return text


def bulk_heading(action: BulkAction, count: int) -> str:
    return action.confirm.format(count=f"{count} nomination{'' if count == 1 else 's'}")
