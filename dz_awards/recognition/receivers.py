"""What recognition does when other apps report an event.

Releasing decisions belongs to review; that a finalist or winner gets a
certificate and a badge belongs here. Review sends `decision_released` and
knows nothing of recognition, which stands above it.
"""

from typing import Any

from dz_awards.nominations.models import Nomination
from dz_awards.nominations.signals import decision_released
from dz_awards.recognition.services import certificate_issue


def issue_certificate(sender: Any, *, actor: Any, nomination: Nomination, **kwargs: Any) -> None:
    """Each released finalist and winner gets its certificate (a winner that was a finalist,
    its certificate moved up to winner).

    Runs inside the release's transaction: if the certificate cannot be issued,
    the error reaches the release and nothing is released. The drawing itself
    runs after commit, in the background.
    """
    certificate_issue(actor=actor, nomination=nomination)


def connect() -> None:
    """Connect the receivers once, when the app registry is ready."""
    decision_released.connect(
        issue_certificate, sender=Nomination, dispatch_uid="recognition_issue_certificate"
    )
