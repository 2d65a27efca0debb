"""Forms of the reviewer pages. Forms validate; services write.

None of them has a field for the assignment, the reviewer, the state or the
total: the URL names the assignment (looked up in the reviewer's own scope)
and the weighted total is derived from the scores by the service.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from reviews.enums import Confidence, DeclineReason
from reviews.services import ReviewInput

JUSTIFICATION_LIMIT = 1000
COMMENT_LIMIT = 5000
NOTE_LIMIT = 2000

TOO_LONG = "Keep this to %(limit_value)d characters (it has %(show_value)d)."


def _helper(name, label, *, css="btn-primary"):
    """Templates write the <form> tag themselves (each posts to its own URL).

    Each button has its own name, so two forms on one page never share an id.
    """
    helper = FormHelper()
    helper.form_tag = False
    button = Submit(name, label)
    button.field_classes = f"btn {css}"
    helper.add_input(button)
    return helper


class PlainTextField(forms.CharField):
    """Text whose length is counted as the browser counts it.

    Browsers submit a line break as two characters but count it as one against
    `maxlength`; counting the same way here keeps a text the page accepted from
    being refused by the server.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# Invitations ----------------------------------------------------------------------


class InvitationAccountForm(forms.Form):
    """The account an invitation sets up: a name and a password (the address is invited)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="As it should appear to program staff.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="The same password, to check it.",
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = _helper("create", "Create my reviewer account")

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        again = cleaned.get("password2")
        if password and again and password != again:
            self.add_error("password2", "The two passwords are not the same.")
        if password:
            # An unsaved user, so that a password like the name or address is refused.
            person = get_user_model()(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, user=person)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# Assignments ------------------------------------------------------------------------


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you declining?",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are declining."},
    )
    note = PlainTextField(
        label="Note for program staff",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for a conflict of interest: say briefly what it is. "
        "Only program staff see this.",
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "decline")
        super().__init__(*args, **kwargs)
        self.helper = _helper("decline", "Decline the assignment", css="btn-outline-danger")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == DeclineReason.CONFLICT and not cleaned.get("note", "").strip():
            self.add_error("note", "Say briefly what the conflict is; only program staff see it.")
        return cleaned


class ConflictForm(forms.Form):
    reason = PlainTextField(
        label="What is the conflict?",
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: you worked with this agency, or you advised on the program. "
        "Only program staff see this.",
        error_messages={
            "required": "Say briefly what the conflict is; only program staff see it.",
            "max_length": TOO_LONG,
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "conflict")
        super().__init__(*args, **kwargs)
        self.helper = _helper("declare", "Declare a conflict of interest", css="btn-outline-danger")


# The review -------------------------------------------------------------------------


def score_field_name(criterion):
    return f"score_{criterion.pk}"


def justification_field_name(criterion):
    return f"justification_{criterion.pk}"


def mark_errors(form: forms.Form) -> None:
    """Flag each field of `form` with an error, and tie a text box to its error message
    (`<id>_error`, after what the box is already described by).

    A radio group's message is tied to its fieldset in the template.
    """
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        widget.attrs["aria-invalid"] = "true"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        if isinstance(widget, forms.Textarea):
            described = widget.attrs.get("aria-describedby", "")
            widget.attrs["aria-describedby"] = f"{described} {form[name].auto_id}_error".strip()


class ReviewForm(forms.Form):
    """One score and a short justification per criterion, an overall comment, a confidence.

    Nothing is required here: a draft may be partial. What a submitted review
    needs is checked by `services.review_save(submit=True)`, whose problems are
    added to this form under the same field names.
    """

    # Checked by the service: a missing or stale version is a conflict, never an overwrite.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    overall_comment = PlainTextField(
        label="Overall comment",
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Strengths, weaknesses, and what would make the program stronger.",
        error_messages={"max_length": TOO_LONG},
    )
    confidence = forms.ChoiceField(
        label="How confident are you in this review?",
        choices=Confidence.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, rubric, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            levels = {level.score: level.text for level in criterion.levels.all()}
            self.fields[score_field_name(criterion)] = forms.ChoiceField(
                label=f"Score for {criterion.name}",
                choices=[
                    (str(score), f"{score}: {levels[score]}" if score in levels else str(score))
                    for score in rubric.scale
                ],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the scores shown."},
            )
            self.fields[justification_field_name(criterion)] = PlainTextField(
                label=f"Why this score for {criterion.name}",
                required=False,
                max_length=JUSTIFICATION_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": TOO_LONG},
            )
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Textarea):
                auto_id = self[name].auto_id
                described = [f"{auto_id}_helptext"] if field.help_text else []
                # Every comment box says, before anything is typed, who will read it.
                described.append(f"{auto_id}_sharing")
                field.widget.attrs["class"] = "form-control"
                field.widget.attrs["aria-describedby"] = " ".join([*described, f"{auto_id}_count"])

    def mark_errors(self):
        mark_errors(self)

    def rows(self):
        """(criterion, score field, justification field) in rubric order, for the template."""
        return [
            (
                criterion,
                self[score_field_name(criterion)],
                self[justification_field_name(criterion)],
            )
            for criterion in self.criteria
        ]

    def review_input(self):
        """What the service saves, from a valid form."""
        data = self.cleaned_data
        scores = {}
        for criterion in self.criteria:
            raw = data.get(score_field_name(criterion)) or ""
            scores[criterion.pk] = (
                int(raw) if raw else None,
                data.get(justification_field_name(criterion)) or "",
            )
        return ReviewInput(
            scores=scores,
            overall_comment=data.get("overall_comment") or "",
            confidence=data.get("confidence") or "",
            version=_version(data.get("version")),
        )


def _version(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def review_initial(review):
    """The form's starting values from a saved review (or a fresh one)."""
    if review is None:
        return {"version": 1}
    initial = {
        "version": review.version,
        "overall_comment": review.overall_comment,
        "confidence": review.confidence,
    }
    for score in review.scores.all():
        if score.score is not None:
            initial[f"score_{score.criterion_id}"] = str(score.score)
        initial[f"justification_{score.criterion_id}"] = score.justification
    return initial
