from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from dz_awards.agencies.enums import AgencyType, USState
from dz_awards.agencies.models import Agency, Membership
from dz_awards.agencies.services import AGENCY_PROFILE_FIELDS


class ORIField(forms.CharField):
    """An ORI as people type it (any case, with spaces), cleaned before it is checked.

    Normalising in `to_python` rather than `clean_ori` matters: the length and
    format checks run on the cleaned value, so "va 029 0000" is accepted.
    """

    def to_python(self, value):
        return super().to_python(value).upper().replace(" ", "")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # A browser would cut "VA 0290000" at nine characters before we could remove the space.
        attrs.pop("maxlength", None)
        return attrs


class AgencyForm(forms.ModelForm):
    """The agency's profile. Verification and ownership are never fields here."""

    class Meta:
        model = Agency
        fields = AGENCY_PROFILE_FIELDS
        field_classes = {"ori": ORIField}
        widgets = {
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
        }
        help_texts = {
            "sworn_officers": "Full-time sworn officers today.",
            "civilian_staff": "Optional.",
            "website": "Optional. Starts with https://",
        }

    def __init__(self, *args, submit_label="Save agency", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency_type"].choices = [("", "Choose a type"), *AgencyType.choices]
        self.fields["state"].choices = [("", "Choose a state or territory"), *USState.choices]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Agency",
                "name",
                "agency_type",
                "state",
                "city",
                "sworn_officers",
                "civilian_staff",
                "ori",
                "website",
            ),
            Fieldset(
                "Main contact", "contact_name", "contact_title", "contact_email", "contact_phone"
            ),
        )
        self.helper.add_input(Submit("submit", submit_label))

    def clean_ori(self):
        # The database constraint would only say "constraint violated", away from the field.
        ori = self.cleaned_data["ori"]
        if ori and Agency.objects.filter(ori=ori).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another agency already uses this ORI.", code="unique")
        return ori

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send request"))
