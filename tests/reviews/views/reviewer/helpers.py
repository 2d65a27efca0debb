"""Helpers for the reviewer page tests: the agency's identity, which a blind reviewer
must never receive, and the client side of a reviewer's visit.

The agency behind the nomination has a distinctive name, city and ORI, and its
own text uses them, so that blind review can be checked by searching every
response for them.
"""

from django.test import Client
from django.urls import reverse

from reviews.enums import Confidence

AGENCY_NAME = "Quillfeather Police Department"
CITY = "Quillfeather"
ORI = "OH0770199"
IDENTITY = (AGENCY_NAME, CITY, ORI)
REDACTED_TITLE = "Peer support after critical incidents"
NOMINATION_TITLE = f"{CITY} Peer Support Program"


def url(name, assignment, **kwargs):
    """The address of the reviewer's page `name` (`assignment`, `review`, `file`...)."""
    return reverse(f"reviews:{name}", kwargs={"pk": assignment.pk, **kwargs})


def signed_in(user):
    """A new client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def message_texts(response):
    """The messages the page shows, as text."""
    return [str(m) for m in response.context["messages"]]


def review_data(world, *, score=4, justification="Clear evidence.", **changes):
    """A complete review as the browser posts it."""
    data = {
        "version": "1",
        "overall_comment": "A strong, well-run program.",
        "confidence": Confidence.HIGH,
        "action": "submit",
    }
    for criterion in world.criteria:
        data[f"score_{criterion.pk}"] = str(score)
        data[f"justification_{criterion.pk}"] = justification
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(world, index=0, **kwargs):
    """Reviewer `index` of the world submits a complete review; their signed-in client."""
    client = signed_in(world.reviewers[index])
    response = client.post(url("review", world.assignments[index]), review_data(world, **kwargs))
    assert response.status_code == 302
    return client


def no_identity(text):
    found = [term for term in IDENTITY if term.casefold() in text.casefold()]
    assert not found, f"agency identity in a reviewer response: {found}"


def close_file(response):
    """Close a streamed file only.

    `response.close()` would also signal the end of a request, which closes the
    test's database connection (on PostgreSQL the test then fails).
    """
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()


def whole(response):
    """Everything a browser receives: headers and body (streamed or not)."""
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8", errors="replace")
    close_file(response)
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{headers}\n{body}"
