"""URL names of the pages both audiences use: `nominations:<name>` for the agency,
`staff:nomination-<name>` for program staff."""

from django.urls import reverse


def nomination_url(audience, name, pk, **kwargs):
    url_name = f"staff:nomination-{name}" if audience == "staff" else f"nominations:{name}"
    return reverse(url_name, kwargs={"pk": pk, **kwargs})
