"""Every change to a profile. Views, tasks and commands call these; nothing else writes.

Each lifecycle service locks the profile's row, checks permission and state
(`dz_awards.core.fsm.make_transition`), saves with `update_fields`, records an
audit event and queues email and PDF work after commit. Every edit of what the
public sees bumps `version`; a PDF is served only for the version it shows, so
a stale PDF is never served after an edit.

By concern:

- `lifecycle`: created for a finalist or winner, proof, approval, publication,
  retraction, reopening, asking for the PDF again;
- `editing`: the public copy and topics;
- `media`: the public images and resources chosen from the nomination's files;
- `imports`: past programs imported as published profiles;
- `common`: the error, lock, checks, slugs, search and PDF queueing they share.

The background work they queue (rendering the PDF, making image sizes) lives
in `dz_awards.profiles.processing`; its two entry points are named here too.
"""

from dz_awards.profiles.processing import profile_image_make_renditions, profile_render_pdf
from dz_awards.profiles.selectors import BODY_FIELDS
from dz_awards.profiles.services.common import ProfileError, refresh_search
from dz_awards.profiles.services.editing import (
    COPY_FIELDS,
    profile_save,
    topic_for_name,
)
from dz_awards.profiles.services.imports import ImportedProgram, profile_import, profiles_import
from dz_awards.profiles.services.lifecycle import (
    NO_AGENCY_ACCOUNT,
    TWO_PERSON_RULE,
    profile_approve,
    profile_create_for,
    profile_publish,
    profile_reopen,
    profile_request_changes,
    profile_rerender_pdf,
    profile_retract,
    profile_send_proof,
    profiles_create_for_cycle,
)
from dz_awards.profiles.services.media import (
    media_evidence,
    profile_set_images,
    profile_set_resources,
)

__all__ = [
    "BODY_FIELDS",
    "COPY_FIELDS",
    "NO_AGENCY_ACCOUNT",
    "TWO_PERSON_RULE",
    "ImportedProgram",
    "ProfileError",
    "media_evidence",
    "profile_approve",
    "profile_create_for",
    "profile_image_make_renditions",
    "profile_import",
    "profile_publish",
    "profile_render_pdf",
    "profile_reopen",
    "profile_request_changes",
    "profile_rerender_pdf",
    "profile_retract",
    "profile_save",
    "profile_send_proof",
    "profile_set_images",
    "profile_set_resources",
    "profiles_create_for_cycle",
    "profiles_import",
    "refresh_search",
    "topic_for_name",
]
