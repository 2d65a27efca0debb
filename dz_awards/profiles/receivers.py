"""What profiles does when other apps report an event.

Releasing decisions belongs to review; that a finalist or winner gets a public
profile belongs here. Review sends `decision_released` and knows nothing of
profiles, so the two apps stand side by side above nominations.
"""

from typing import Any

from dz_awards.nominations.models import Nomination
from dz_awards.nominations.signals import decision_released
from dz_awards.profiles.services import profile_create_for


def start_profile(sender: Any, *, actor: Any, nomination: Nomination, **kwargs: Any) -> None:
    """Each released finalist and winner gets a draft public profile to prepare.

    Runs inside the release's transaction: if the profile cannot be made, the
    error reaches the release and nothing is released.
    """
    profile_create_for(actor=actor, nomination=nomination)


def connect() -> None:
    """Connect the receivers once, when the app registry is ready."""
    decision_released.connect(
        start_profile, sender=Nomination, dispatch_uid="profiles_start_profile_on_release"
    )
