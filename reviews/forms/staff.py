"""Forms of the program staff review pages. Forms validate; services write.

The pages name the nomination, assignment or cycle in the URL; no form has a
field for them, for a state or for a score.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import slugify

from dz_awards.agencies.enums import USState
from dz_awards.agencies.models import Agency
from reviews.enums import Outcome
from reviews.models import Panel

SUMMARY_LIMIT = 10000
REDACTED_TEXT_LIMIT = 100000
REASON_LIMIT = 2000

UNSTAGE = "unstage"


def _helper(label, *, css="btn-primary"):
    """Templates write the <form> tag themselves (each posts to its own URL)."""
    helper = FormHelper()
    helper.form_tag = False
    # The id follows the label: two such forms on one page (a file's override and its
    # replacement) would otherwise both give their button crispy's "submit-id-submit".
    button = Submit("submit", label, css_id=f"submit-{slugify(label)}")
    # Submit's own classes include btn-primary; an outline style must replace it.
    button.field_classes = f"btn {css}"
    helper.add_input(button)
    return helper


class ReviewerInviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="The invitation link goes to this address and works once.",
    )
    full_name = forms.CharField(label="Full name", max_length=150)
    home_agency = forms.ModelChoiceField(
        label="Home agency (optional)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="None",
        help_text="The agency the reviewer works for: they never review its nominations.",
    )
    state = forms.ChoiceField(
        label="Home state (optional)",
        choices=[("", "None"), *USState.choices],
        required=False,
        help_text="Used when a cycle keeps reviewers off their own state's nominations.",
    )
    panel = forms.ModelChoiceField(
        label="Panel (optional)",
        queryset=Panel.objects.none(),
        required=False,
        empty_label="No panel yet",
        help_text="The reviewer joins this category's panel when they accept.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_agency"].queryset = Agency.objects.order_by("name", "city")
        self.fields["home_agency"].label_from_instance = lambda agency: (
            f"{agency.name} ({agency.city}, {agency.state})"
        )
        self.fields["panel"].queryset = Panel.objects.select_related("category__cycle").order_by(
            "-category__cycle__year", "category__position", "category__label"
        )
        self.fields["panel"].label_from_instance = lambda panel: (
            f"{panel.category.label} ({panel.category.cycle.year})"
        )
        self.helper = _helper("Send the invitation")


class ReviewCopyForm(forms.Form):
    executive_summary = forms.CharField(
        label="Executive summary",
        required=False,
        strip=False,
        max_length=SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Written by staff for the Selection Committee; reviewers read it first. "
        "Leave out the agency's name, city and ORI.",
    )
    redacted_title = forms.CharField(
        label="Title for reviewers",
        required=False,
        max_length=300,
        help_text="Shown to reviewers instead of the program's title: no agency, city or ORI.",
    )
    redacted_text = forms.CharField(
        label="Redacted copy",
        required=False,
        strip=False,
        max_length=REDACTED_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="What blind reviewers read instead of the submission. Remove every name, "
        "place, ORI and anything else that identifies the agency.",
    )
    files = forms.ModelMultipleChoiceField(
        label="Files reviewers may open",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ready files of the latest submission. Reviewers see them under neutral names.",
    )

    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].queryset = files
        self.fields["files"].label_from_instance = lambda item: (
            f"{item.original_name} ({item.get_kind_display()})"
        )
        if not files.exists():
            self.fields["files"].help_text = "The latest submission has no ready files."
        self.helper = _helper("Save the review copy")


class AssignmentAddForm(forms.Form):
    """Only reviewers who may be assigned are offered (the page lists the others, with why)."""

    reviewer = forms.ModelChoiceField(
        label="Reviewer",
        queryset=None,
        empty_label="Choose a reviewer",
        help_text="Reviewers of this category's panel who may review this nomination.",
        error_messages={
            "required": "Choose a reviewer.",
            "invalid_choice": "This reviewer can no longer be assigned: choose one from the "
            "list as it is now.",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates
        self.fields["reviewer"].label_from_instance = lambda user: (
            f"{user.full_name or user.email} ({user.email})"
        )
        self.helper = _helper("Assign this reviewer", css="btn-outline-primary")


class CloseReviewForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason to close review anyway (only if reviews are missing)",
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Recorded in the audit trail. Leave empty when every review is in.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Close review")


class DecisionStageForm(forms.Form):
    """Rendered by hand in each row of the decisions page."""

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[*Outcome.choices, (UNSTAGE, "Remove the staged decision")],
        error_messages={"required": "Choose a decision.", "invalid_choice": "Choose a decision."},
    )


class FindingOverrideForm(forms.Form):
    """Staff set aside what the identity check found in one file, saying why."""

    prefix = "override"

    reason = forms.CharField(
        label="Why is this not the agency's identity?",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “Marion is the name of the county's program, not the "
        "agency's city.” Kept with your name; it holds for this clean copy only.",
    )
    # The findings the page showed (`services.findings_seen`): the service refuses the
    # override when the check has found something else since.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Set the findings aside", css="btn-outline-danger")


class CleanCopyReplaceForm(forms.Form):
    """Staff's corrected PDF, to replace a file's clean copy (the agency's upload stays)."""

    prefix = "replace"

    file = forms.FileField(
        label="Corrected PDF",
        help_text="A PDF without the agency's identity. It is rewritten and checked like "
        "any upload; reviewers get it instead of the agency's file.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Replace the clean copy")
