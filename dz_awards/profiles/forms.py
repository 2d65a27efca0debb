"""Forms of the staff profile pages. Forms validate; services write.

No form has a field for the state, the slug, the agency, the award or who
prepared or published a profile: the lifecycle changes only through its own
POST views and services.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils.text import slugify

from dz_awards.profiles.enums import ProfileState
from dz_awards.profiles.models import TOPIC_NAME_LENGTH, Topic
from dz_awards.profiles.services import COPY_FIELDS
from dz_awards.profiles.services.media import (
    ALT_TEXT_LIMIT,
    CAPTION_LIMIT,
    RESOURCE_TITLE_LIMIT,
)

KEY_FIGURE_ROWS = 8
SUMMARY_LIMIT = 1500
BODY_LIMIT = 20000
REASON_LIMIT = 2000
MARKDOWN_HELP = (
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lists (lines starting "
    "with - or 1.), > quotes, `code`, ## sub-headings and links written [text](https://…) "
    "to http, https or mailto addresses. Images and HTML are not shown."
)
# The copy fields the service takes that are one form field each (the key
# figures are a grid of rows).
TEXT_FIELDS = [name for name in COPY_FIELDS if name != "key_figures"]


def _helper(label, *, css="btn-primary"):
    """Templates write the <form> tag themselves (each posts to its own URL)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    # The id follows the label: a page with two such forms (the editor and its
    # retraction) would otherwise give both buttons crispy's "submit-id-submit".
    button = Submit("submit", label, css_id=f"submit-{slugify(label)}")
    button.field_classes = f"btn {css}"
    helper.add_input(button)
    return helper


def markdown_field(label, *, rows):
    """An optional Markdown section of the public copy."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=MARKDOWN_HELP,
    )


def _lines(text):
    """Browsers send CRLF from a textarea; the copy is stored with LF only."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


class ProfileListFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ProfileState.choices]
    )
    year = forms.TypedChoiceField(label="Award year", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *((y, str(y)) for y in years)]


class ProfileCopyForm(forms.Form):
    """The public copy of a profile, its key figures, contact, video link and topics."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label="Program title", max_length=300)
    summary = forms.CharField(
        label="Summary",
        max_length=SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Two or three sentences, plain text: shown in the directory, the feed and "
        "the PDF.",
    )
    need = markdown_field("The need", rows=6)
    approach = markdown_field("What they did", rows=8)
    results = markdown_field("Results", rows=6)
    durability = markdown_field("Durability", rows=4)
    replicability = markdown_field("What it takes to replicate", rows=4)
    cost_funding = markdown_field("Cost and funding", rows=4)
    contact_name = forms.CharField(label="Contact name", required=False, max_length=150)
    contact_title = forms.CharField(label="Contact title", required=False, max_length=150)
    contact_email = forms.EmailField(label="Contact email", required=False, max_length=254)
    contact_phone = forms.CharField(label="Contact phone", required=False, max_length=40)
    video_url = forms.URLField(
        label="Video link",
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text="The https:// address of the program's video (for example on YouTube or "
        "Vimeo). Shown as a link; nothing is embedded.",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Topics",
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_topics = forms.CharField(
        label="Add topics",
        required=False,
        max_length=300,
        help_text="Names of new topics, separated by commas (for example: Peer support, "
        "Traffic safety). A name that exists already is ticked instead.",
    )

    def __init__(self, *args, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, KEY_FIGURE_ROWS + 1):
            self.fields[f"figure_{number}"] = forms.CharField(
                label=f"Figure {number}", required=False, max_length=40
            )
            self.fields[f"label_{number}"] = forms.CharField(
                label=f"What figure {number} measures", required=False, max_length=200
            )
        self.fields["topics"].queryset = Topic.objects.order_by("name")
        if not editable:
            for field in self.fields.values():
                field.disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            "version",
            Fieldset("The program", "title", "summary"),
            Fieldset("The need and what they did", "need", "approach"),
            Fieldset(
                "Results",
                "results",
                HTML(
                    '<p class="form-text" id="key-figures-help">Up to eight key figures, '
                    "each a short figure (such as 41%) and what it measures (such as "
                    "fewer sick days after critical incidents). Leave a row empty to "
                    "skip it.</p>"
                ),
                *(
                    Div(
                        Div(Field(f"figure_{n}"), css_class="col-md-3"),
                        Div(Field(f"label_{n}"), css_class="col-md-9"),
                        css_class="row",
                    )
                    for n in range(1, KEY_FIGURE_ROWS + 1)
                ),
            ),
            Fieldset(
                "Keeping it going and doing it elsewhere",
                "durability",
                "replicability",
                "cost_funding",
            ),
            Fieldset("Contact", "contact_name", "contact_title", "contact_email", "contact_phone"),
            Fieldset("Video and topics", "video_url", "topics", "new_topics"),
        )
        if editable:
            self.helper.add_input(Submit("submit", "Save the profile"))

    @classmethod
    def initial_for(cls, profile):
        initial = {name: getattr(profile, name) for name in TEXT_FIELDS}
        initial["version"] = profile.version
        initial["topics"] = list(profile.topics.all())
        for number, row in enumerate(profile.key_figures or [], start=1):
            if number > KEY_FIGURE_ROWS or not isinstance(row, dict):
                break
            initial[f"figure_{number}"] = row.get("figure", "")
            initial[f"label_{number}"] = row.get("label", "")
        return initial

    def clean_video_url(self):
        url = self.cleaned_data["video_url"]
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise forms.ValidationError(
                "Give the video's https:// address (most video sites have one)."
            )
        return url

    def clean_new_topics(self):
        names = [" ".join(part.split()) for part in self.cleaned_data["new_topics"].split(",")]
        names = [name for name in names if name]
        for name in names:
            if len(name) > TOPIC_NAME_LENGTH:
                raise forms.ValidationError(
                    f"Keep each topic's name under {TOPIC_NAME_LENGTH} characters."
                )
        return list(dict.fromkeys(names))

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = _lines(cleaned[name])
        figures = []
        for number in range(1, KEY_FIGURE_ROWS + 1):
            figure = cleaned.get(f"figure_{number}", "")
            label = cleaned.get(f"label_{number}", "")
            if figure and not label:
                self.add_error(f"label_{number}", "Say what this figure measures.")
            elif label and not figure:
                self.add_error(f"figure_{number}", "Give the figure, or empty the row.")
            elif figure:
                figures.append({"figure": figure, "label": label})
        cleaned["key_figures"] = figures
        return cleaned

    def copy_data(self):
        """The cleaned copy as `services.profile_save` takes it."""
        data = {name: self.cleaned_data[name] for name in TEXT_FIELDS}
        data["key_figures"] = self.cleaned_data["key_figures"]
        return data


# Media -------------------------------------------------------------------------------


@dataclass
class MediaCandidate:
    """One file staff may make public: an evidence file, a current public row, or both."""

    key: str
    evidence: object = None  # nominations.Evidence
    row: object = None  # ProfileImage or ProfileResource

    @property
    def chosen(self):
        return self.row is not None


def media_candidates(evidence, rows):
    """Every ready evidence file (with its public row if it has one), then public rows
    whose file is no longer among them (kept until staff remove them)."""
    by_source = {row.source_id: row for row in rows if row.source_id}
    candidates = [MediaCandidate(item.pk.hex, item, by_source.get(item.pk)) for item in evidence]
    shown = {c.row.pk for c in candidates if c.row is not None}
    candidates += [MediaCandidate(row.pk.hex, None, row) for row in rows if row.pk not in shown]
    return candidates


class _MediaForm(forms.Form):
    """A checkbox per candidate and its details; `choices()` is what the service takes."""

    row_key = ""  # "image" or "resource": the key a kept row is passed under

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, candidates, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for index, candidate in enumerate(candidates):
            self.add_candidate_fields(candidate, index)
        if not editable:
            for field in self.fields.values():
                field.disabled = True

    def add_candidate_fields(self, candidate, index):
        self.fields[f"{candidate.key}-use"] = forms.BooleanField(
            label="Make public", required=False, initial=candidate.chosen
        )
        self.fields[f"{candidate.key}-position"] = forms.IntegerField(
            label="Order",
            min_value=0,
            max_value=999,
            required=False,
            initial=candidate.row.position if candidate.row else index,
        )

    def is_used(self, candidate):
        return bool(self.cleaned_data.get(f"{candidate.key}-use"))

    def choice_target(self, candidate):
        if candidate.row is not None and candidate.evidence is None:
            return {self.row_key: candidate.row}
        return {"evidence": candidate.evidence}

    def rows(self):
        """(candidate, {short name: bound field}) for the template."""
        rows = []
        for candidate in self.candidates:
            prefix = f"{candidate.key}-"
            fields = {
                name.removeprefix(prefix): self[name]
                for name in self.fields
                if name.startswith(prefix)
            }
            rows.append((candidate, fields))
        return rows


class ProfileImagesForm(_MediaForm):
    row_key = "image"

    def add_candidate_fields(self, candidate, index):
        super().add_candidate_fields(candidate, index)
        evidence, row = candidate.evidence, candidate.row
        self.fields[f"{candidate.key}-alt_text"] = forms.CharField(
            label="Alternative text",
            required=False,
            max_length=ALT_TEXT_LIMIT,
            initial=row.alt_text if row else (evidence.alt_text if evidence else ""),
            help_text="What the image shows, for people who cannot see it. Required to "
            "make it public.",
        )
        self.fields[f"{candidate.key}-caption"] = forms.CharField(
            label="Caption (optional)",
            required=False,
            max_length=CAPTION_LIMIT,
            initial=row.caption if row else (evidence.description if evidence else ""),
        )

    def clean(self):
        cleaned = super().clean()
        for candidate in self.candidates:
            name = f"{candidate.key}-alt_text"
            if self.is_used(candidate) and not (cleaned.get(name) or "").strip():
                self.add_error(name, "Write what this image shows to make it public.")
        return cleaned

    def choices(self):
        return [
            {
                **self.choice_target(c),
                "alt_text": self.cleaned_data[f"{c.key}-alt_text"],
                "caption": self.cleaned_data[f"{c.key}-caption"],
                "position": self.cleaned_data[f"{c.key}-position"] or 0,
            }
            for c in self.candidates
            if self.is_used(c)
        ]


def _title_from_name(name):
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:RESOURCE_TITLE_LIMIT]


class ProfileResourcesForm(_MediaForm):
    row_key = "resource"

    def add_candidate_fields(self, candidate, index):
        super().add_candidate_fields(candidate, index)
        evidence, row = candidate.evidence, candidate.row
        if row is not None:
            initial = row.title
        else:
            initial = evidence.description or _title_from_name(evidence.original_name)
        self.fields[f"{candidate.key}-title"] = forms.CharField(
            label="Title shown to the public",
            required=False,
            max_length=RESOURCE_TITLE_LIMIT,
            initial=initial[:RESOURCE_TITLE_LIMIT],
        )

    def clean(self):
        cleaned = super().clean()
        for candidate in self.candidates:
            name = f"{candidate.key}-title"
            if self.is_used(candidate) and not (cleaned.get(name) or "").strip():
                self.add_error(name, "Give this resource a title to make it public.")
        return cleaned

    def choices(self):
        return [
            {
                **self.choice_target(c),
                "title": self.cleaned_data[f"{c.key}-title"],
                "position": self.cleaned_data[f"{c.key}-position"] or 0,
            }
            for c in self.candidates
            if self.is_used(c)
        ]


class RetractForm(forms.Form):
    reason = forms.CharField(
        label="Why is this profile retracted?",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff only see it, in the audit trail. The profile leaves every public "
        "page, feed and download at once.",
        error_messages={"required": "Give the reason for retracting."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Retract the profile", css="btn-danger")
