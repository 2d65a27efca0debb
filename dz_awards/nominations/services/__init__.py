"""Every change to a nomination. Views call these; nothing else writes.

Each service runs in one transaction and follows the same steps: lock the
nomination's row, check permission (django-fsm does not check `permission=`
when a transition is called), check the state, change, save with
`update_fields`, record an audit event, and queue email through the outbox,
delivered after commit. A second, concurrent attempt at the same change finds
the row already moved and fails with `NominationError`, whose message is meant
for the person who tried.

By concern: `common` (errors, lock, checks, the agency's email), `drafts`
(start, save, conflicts, delete, move), `transitions` (submit, return, screen
out, withdraw), `evidence` (files) and `conversation` (messages). Callers
import from here, not from the modules.
"""

from dz_awards.nominations.processing import evidence_process, evidence_process_image
from dz_awards.nominations.services.common import (
    IncompleteNominationError,
    NominationError,
    nomination_apply_content,
    nomination_email_agency,
    nomination_lock,
    nomination_transition,
)
from dz_awards.nominations.services.conversation import message_post, thread_mark_read
from dz_awards.nominations.services.drafts import (
    MAX_OPEN_CONFLICTS,
    DraftSaveResult,
    conflict_content,
    nomination_create,
    nomination_delete,
    nomination_move_to_cycle,
    nomination_renew,
    nomination_resolve_conflict,
    nomination_save_draft,
)
from dz_awards.nominations.services.evidence import (
    evidence_add,
    evidence_clean_copy_replace,
    evidence_delete,
    evidence_original_open,
    evidence_usage,
)
from dz_awards.nominations.services.transitions import (
    nomination_resubmit,
    nomination_return_for_changes,
    nomination_screen_out,
    nomination_submit,
    nomination_withdraw,
)

__all__ = [
    "MAX_OPEN_CONFLICTS",
    "DraftSaveResult",
    "IncompleteNominationError",
    "NominationError",
    "conflict_content",
    "evidence_add",
    "evidence_clean_copy_replace",
    "evidence_delete",
    "evidence_original_open",
    "evidence_process",
    "evidence_process_image",
    "evidence_usage",
    "message_post",
    "nomination_apply_content",
    "nomination_create",
    "nomination_delete",
    "nomination_email_agency",
    "nomination_lock",
    "nomination_move_to_cycle",
    "nomination_renew",
    "nomination_resolve_conflict",
    "nomination_resubmit",
    "nomination_return_for_changes",
    "nomination_save_draft",
    "nomination_screen_out",
    "nomination_submit",
    "nomination_transition",
    "nomination_withdraw",
    "thread_mark_read",
]
