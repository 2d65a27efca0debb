from django import forms


class RegenerateForm(forms.Form):
    """Why staff regenerate a certificate; the page writes one small form per certificate.

    Its length is the service's rule (`services.REASON_MAX_LENGTH`), told as a message.
    """

    reason = forms.CharField(
        label="Why regenerate it?",
        strip=True,
        error_messages={"required": "Say why the certificate is regenerated."},
    )
