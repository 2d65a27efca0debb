"""Forms of staff's email pages. Forms validate; services write.

Both forms check placeholders with the same functions the services use, so
that each problem shows on its field, naming the placeholder, with the text
as it was typed.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from dz_awards.agencies.enums import USState
from dz_awards.cycles.emails import EmailKind
from dz_awards.cycles.models import Category, Cycle
from dz_awards.cycles.services import email_template_problems
from dz_awards.mailings.services import message_problems

BODY_LIMIT = 20000


def _helper(*buttons: tuple[str, str, str]) -> FormHelper:
    """Templates write the <form> tag themselves; `buttons` are (name, label, css)."""
    helper = FormHelper()
    helper.form_tag = False
    for name, label, css in buttons:
        button = Submit(name, label)
        button.field_classes = f"btn {css} me-2"
        helper.add_input(button)
    return helper


class _WordingForm(forms.Form):
    subject = forms.CharField(max_length=200, strip=False)
    body = forms.CharField(
        label="Text", max_length=BODY_LIMIT, strip=False, widget=forms.Textarea(attrs={"rows": 16})
    )

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for name, texts in problems.items():
            for text in texts:
                self.add_error(name, text)


class EmailTemplateForm(_WordingForm):
    """A cycle's wording of one kind of email: plain text with the listed placeholders."""

    def __init__(self, *args: Any, kind: EmailKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["subject"].help_text = "One line. Placeholders may be used here too."
        self.fields["body"].help_text = "Plain text. Placeholders are written {like_this}."
        self.helper = _helper(
            ("preview", "Preview", "btn-outline-primary"), ("save", "Save", "btn-primary")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "subject" in data and "body" in data:
            self.add_problems(
                email_template_problems(self.kind, subject=data["subject"], body=data["body"])
            )
        return data


class BulkMessageForm(_WordingForm):
    """A message to the nominating agencies of a cycle, narrowed by category or state."""

    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        required=False,
        empty_label="Every category",
        help_text="Only agencies with a nomination in this category.",
    )
    state = forms.ChoiceField(
        label="Agency state",
        choices=[("", "Every state"), *USState.choices],
        required=False,
        help_text="Only agencies in this state.",
    )
    # Set when the message is confirmed: the same token twice sends once.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    field_order = ["category", "state", "subject", "body"]

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(cycle=cycle).order_by(
            "position", "label"
        )
        self.fields["body"].widget.attrs["rows"] = 12
        self.fields["body"].help_text = "Plain text. Placeholders are written {like_this}."
        self.helper = _helper(("check", "Check who gets it", "btn-primary"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "subject" in data and "body" in data:
            self.add_problems(message_problems(subject=data["subject"], body=data["body"]))
        return data
