"""Forms of the review policy: staff's policy page, and the reviewer's acceptance of an
assignment with the guidelines read. Forms validate; services write.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from reviews.enums import FeedbackPosition
from reviews.forms.reviewer import PlainTextField

GUIDELINES_LIMIT = 20000
EXAMPLE_LIMIT = 10000
# What a datetime-local control sends; read in the site's time zone (Eastern).
LOCAL_INPUT = "%Y-%m-%dT%H:%M"

TOO_LONG = "Keep this to %(limit_value)d characters (it has %(show_value)d)."


class ReviewPolicyForm(forms.Form):
    """The cycle's policy as staff edit it; the page shows what is saved beside it."""

    guidelines = PlainTextField(
        label="Reviewer guidelines",
        required=False,
        max_length=GUIDELINES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown: headings, lists, links, emphasis. Reviewers read them before "
        "their first review. Any change to the words makes a new version, which reviewers "
        "confirm they read when they accept an assignment.",
        error_messages={"max_length": TOO_LONG},
    )
    calibration_example = PlainTextField(
        label="Calibration example",
        required=False,
        max_length=EXAMPLE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="A short worked example: an entry's key points and the scores it deserves, "
        "so that reviewers use the scale alike. Markdown, as above; part of the guidelines' "
        "version.",
        error_messages={"max_length": TOO_LONG},
    )
    preferences_due_at = forms.DateTimeField(
        label="Preferences due (Eastern time)",
        required=False,
        input_formats=[LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        help_text="Until then reviewers see their panel's blind titles and state conflicts "
        "and preferences. Leave empty not to ask them.",
        error_messages={"invalid": "Enter a date and time, for example 2027-01-15 23:59."},
    )
    share_feedback = forms.BooleanField(
        label="Share reviewers' comments with agencies after release",
        required=False,
        help_text="Anonymous, per criterion; you may withhold any comment before release. "
        "Reviewers see on their form which parts may be shared.",
    )
    feedback_position = forms.ChoiceField(
        label="Where agencies see their score fell in their category",
        choices=FeedbackPosition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a band or the rank."},
    )

    def __init__(self, *args, released=False, **kwargs):
        super().__init__(*args, **kwargs)
        if released:
            # Shown as they are, not offered: the service refuses any change now.
            for name in ("share_feedback", "feedback_position"):
                self.fields[name].disabled = True
            self.fields["share_feedback"].help_text = (
                "Decisions of this cycle have been released: sharing, and how agencies see "
                "where their score fell, can no longer change, since agencies may already "
                "have read the comments."
            )
        helper = FormHelper()
        helper.form_tag = False
        button = Submit("save", "Save the review policy")
        button.field_classes = "btn btn-primary"
        helper.add_input(button)
        self.helper = helper


class AcceptForm(forms.Form):
    """Accepting an assignment: with guidelines, a tick saying the reviewer read the version
    the page showed (kept in a hidden field, so that a change since is noticed)."""

    prefix = "accept"

    guidelines_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    read_guidelines = forms.BooleanField(
        label="I have read the reviewer guidelines", required=False
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["guidelines_version"].initial = version
        if version is not None:
            self.fields[
                "read_guidelines"
            ].label = f"I have read the reviewer guidelines (version {version})"
        self.fields["read_guidelines"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("guidelines_version") and not cleaned.get("read_guidelines"):
            self.add_error(
                "read_guidelines",
                "Tick the box to say you have read the reviewer guidelines before accepting.",
            )
        return cleaned

    def mark_errors(self):
        """Flag the box and tie it to its message, for a page shown again with errors."""
        if self["read_guidelines"].errors:
            attrs = self.fields["read_guidelines"].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self['read_guidelines'].auto_id}_error"
            attrs["class"] = "form-check-input is-invalid"


class GuidelinesReadForm(forms.Form):
    """A reviewer confirms reading the guidelines: the version the page showed."""

    guidelines_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
