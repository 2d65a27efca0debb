"""Forms for nominations. Forms validate; services write.

No agency-facing form has a field for the state, the agency, the cycle, scores
or publication: whatever a browser posts under those names is ignored.
"""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from dz_awards.nominations.content import (
    ATTESTATION_TEXT,
    MAX_OUTCOMES,
    OUTCOME_COLUMNS,
    TEXT_FIELDS,
    clean_outcomes,
)
from dz_awards.nominations.enums import EvidenceKind, Participation
from dz_awards.nominations.uploads import limits

OUTCOME_ROWS_SHOWN = 3
# Posted with the form next to the attestation checkbox: "the box was on the page".
ATTESTATION_SHOWN = "head_attestation_shown"


def _helper(label, *, css="btn-primary"):
    """Templates write the <form> tag themselves (with any hidden fields a page needs)."""
    helper = FormHelper()
    helper.form_tag = False
    # The id follows the label: two forms on one page (a new nomination and a
    # renewal) would otherwise both give their button crispy's "submit-id-submit".
    helper.add_input(Submit("submit", label, css_class=css, css_id=f"submit-{slugify(label)}"))
    return helper


class DatePickerInput(forms.DateInput):
    """A date picker that is only ever given a date (YYYY-MM-DD) as its value.

    Text a person typed that is not a date (an old browser shows a text box) is
    not put back into the input, where it is not a valid value: the field's
    error repeats it instead (`TypedDateField`).
    """

    def format_value(self, value: object) -> str | None:
        if isinstance(value, str):
            try:
                date.fromisoformat(value.strip())
            except ValueError:
                return None
        return super().format_value(value)


class TypedDateField(forms.DateField):
    """A date field whose "not a date" error quotes what was typed."""

    def to_python(self, value: object) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            typed = str(value).strip()
            if len(typed) > 40:
                typed = typed[:40] + "…"
            raise ValidationError(
                f"{self.error_messages['invalid']} You typed “{typed}”.", code="invalid"
            ) from error


class OutcomeForm(forms.Form):
    """One measured outcome. Every cell optional while drafting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, limit in OUTCOME_COLUMNS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=forms.TextInput(attrs={"data-limit": limit, "class": "form-control"}),
            )


OutcomeFormSet = forms.formset_factory(
    OutcomeForm, extra=0, max_num=MAX_OUTCOMES, absolute_max=MAX_OUTCOMES, validate_max=False
)


class NominationForm(forms.Form):
    """The whole nomination, as a draft: nothing is required, nothing too long is refused.

    Only values that cannot be stored at all (a date that is not a date, a
    category of another cycle) are refused; the rest is saved as typed, and
    `validation.submission_problems` says what must change before submitting.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    category = forms.ModelChoiceField(
        label="Award category",
        queryset=None,
        required=False,
        empty_label="Choose a category",
    )
    start_date = TypedDateField(
        label="Program start date",
        required=False,
        widget=DatePickerInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The program must already be running.",
        error_messages={"invalid": "Enter a date like 2021-03-15."},
    )
    participation = forms.ChoiceField(
        label="Is taking part mandatory?",
        choices=Participation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    head_attestation = forms.BooleanField(label=ATTESTATION_TEXT, required=False)

    def __init__(self, *args, nomination, **kwargs):
        initial = kwargs.pop("initial", None) or _initial(nomination)
        super().__init__(*args, initial=initial, **kwargs)
        self.nomination = nomination
        self.fields["category"].queryset = nomination.cycle.categories.order_by("position", "label")
        self.fields["category"].label_from_instance = lambda category: category.label
        for name, text_field in TEXT_FIELDS.items():
            attrs = {"data-limit": text_field.limit}
            if text_field.long:
                attrs["rows"] = 6
            if name.endswith("_email"):
                attrs["autocomplete"] = "email" if name.startswith("submitter") else "off"
            widget = (
                forms.Textarea(attrs=attrs) if text_field.long else forms.TextInput(attrs=attrs)
            )
            self.fields[name] = forms.CharField(
                label=text_field.label,
                required=False,
                strip=False,
                help_text=text_field.help,
                widget=widget,
            )
            self.fields[name].limit = text_field.limit
        for name, field in self.fields.items():
            if name == "version":
                continue
            css = (
                "form-check-input"
                if name in ("participation", "head_attestation")
                else ("form-select" if name == "category" else "form-control")
            )
            field.widget.attrs["class"] = css
            described = [f"id_{name}_helptext"] if field.help_text else []
            if name in TEXT_FIELDS:
                described.append(f"id_{name}_count")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
        rows = list(nomination.outcomes or []) if not self.is_bound else None
        if rows is not None:
            rows += [{}] * max(OUTCOME_ROWS_SHOWN - len(rows), 1)
            rows = rows[:MAX_OUTCOMES]
        self.outcomes = OutcomeFormSet(
            self.data if self.is_bound else None, initial=rows, prefix="outcomes"
        )

    def is_valid(self):
        return super().is_valid() and self.outcomes.is_valid()

    def content(self):
        """What can be saved of the posted text: every posted field that could be read.

        A field missing from the post is left alone rather than emptied, so a
        partial post (an old page, a hand-made request) never erases an answer.
        An unticked checkbox is absent from any post: the form marks that it
        showed one.
        """
        self.is_valid()
        posted = set(self.data)
        if ATTESTATION_SHOWN in posted:
            posted.add("head_attestation")
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and k in posted}
        if self.outcomes.management_form.is_valid():
            rows = [
                form.cleaned_data for form in self.outcomes.forms if hasattr(form, "cleaned_data")
            ]
            data["outcomes"] = clean_outcomes(rows)
        return data


def _initial(nomination):
    data = {name: getattr(nomination, name) for name in TEXT_FIELDS}
    data.update(
        version=nomination.version,
        category=nomination.category_id,
        start_date=nomination.start_date,
        participation=nomination.participation,
        head_attestation=nomination.head_attestation,
    )
    return data


class NominationStartForm(forms.Form):
    agency = forms.ModelChoiceField(label="Nominating agency", queryset=None, empty_label=None)
    category = forms.ModelChoiceField(
        label="Award category",
        queryset=None,
        required=False,
        empty_label="Choose later",
    )
    title = forms.CharField(label="Program title", max_length=200, required=False)

    def __init__(self, *args, agencies, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["category"].queryset = cycle.categories.order_by("position", "label")
        self.fields["category"].label_from_instance = lambda category: category.label
        self.helper = _helper("Start the nomination")


class RenewalForm(forms.Form):
    previous = forms.ModelChoiceField(
        label="Earlier nomination",
        queryset=None,
        empty_label="Choose a nomination",
        help_text="Its answers are copied into a new draft; its files and status are not.",
    )

    def __init__(self, *args, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = earlier
        self.fields["previous"].label_from_instance = lambda n: f"{n} ({n.cycle.year})"
        self.helper = _helper("Start from this nomination", css="btn-outline-primary")


class MultipleFileInput(forms.FileInput):
    """A file input that lets the person pick several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Every file posted under the field's name, as a list (empty files included).

    Only "at least one file" is checked here. Each file is judged on its own by
    the upload service (content, size, count, quota), so that one refused file
    does not refuse the others with it: an empty file too, hence `allow_empty_file`.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            return super().clean(None, initial)
        single = super().clean
        return [single(item, initial) for item in files]


class EvidenceForm(forms.Form):
    """One or several files of one kind; the kind and the alternative text go with each."""

    kind = forms.ChoiceField(
        label="Kind of file", choices=EvidenceKind.choices, widget=forms.RadioSelect
    )
    file = MultipleFileField(
        label="File",
        widget=MultipleFileInput(
            attrs={
                # A hint for the file picker only; the server checks the content.
                "accept": ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,"
                "application/pdf"
            }
        ),
        error_messages={"required": "Choose a file to upload."},
    )
    alt_text = forms.CharField(
        label="Alternative text (for images)",
        max_length=300,
        required=False,
        help_text=(
            "Required for images: describe what the picture shows, in a sentence. Several "
            "images chosen at once share this text: upload them one at a time to describe each."
        ),
    )
    description = forms.CharField(
        label="Description", max_length=300, required=False, help_text="Optional."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = limits().describe()
        self.fields["file"].help_text = (
            f"Images: JPEG, PNG or WebP up to {rules['image']} and {rules['megapixels']} "
            f"megapixels. Documents and letters: PDF up to {rules['document']}. You may "
            "choose several files of one kind at once."
        )
        self.helper = _helper("Upload file")

    def clean(self):
        data = super().clean()
        if data.get("kind") == EvidenceKind.IMAGE and not (data.get("alt_text") or "").strip():
            self.add_error(
                "alt_text", "Describe the image in a sentence for people who cannot see it."
            )
        return data


class StaffMessageForm(forms.Form):
    message = forms.CharField(
        label="What should the agency change?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="The agency sees this message on the nomination and by email.",
    )

    def __init__(self, *args, label=None, submit_label="Return for changes", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["message"].label = label
        self.helper = _helper(submit_label, css="btn-warning")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I understand that a withdrawn nomination cannot be submitted again.",
        error_messages={"required": "Tick the box to confirm the withdrawal."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Withdraw the nomination", css="btn-danger")


class MessageForm(forms.Form):
    """Rendered field by field in the thread partial, which has its own button."""

    body = forms.CharField(
        label="Your message", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ConflictForm(forms.Form):
    """One choice per field that differs: keep the saved text, or take the kept copy's."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, differences, **kwargs):
        super().__init__(*args, **kwargs)
        self.differences = differences
        for name, label, _saved, _mine in differences:
            self.fields[f"take_{name}"] = forms.ChoiceField(
                label=label,
                choices=[("saved", "Keep the saved version"), ("mine", "Use my version")],
                initial="saved",
                widget=forms.RadioSelect,
            )

    def take_mine(self):
        return {
            name for name, *_rest in self.differences if self.cleaned_data[f"take_{name}"] == "mine"
        }
