"""Every change to review data. Views call these; nothing else writes.

Each runs in one transaction, locks the rows it changes, checks who may act
(`reviews.rules`), records an audit event and queues email through the outbox.
Emails to reviewers carry no agency identity, whatever the phase. A change
that cannot be made now raises `ReviewError` (a `ServiceError`), whose message
is meant for the person who tried.

By concern: `common` (the error, locks, checks, the reviewer email), `rubrics`
(the default rubric, and changes until the first review), `copies` (the
review copy; its identity check runs in `reviews.processing`), `invitations`,
`panels` (panels and conflicts as the planner sees them), `assignments`
(assigning, and reviewers' answers), `reviews` (save, submit, reopen), `phases`
(open and close review), `decisions` (stage and release), `policy` (the
cycle's guidelines, preferences window and sharing; reviewers' reading of the
guidelines), `feedback` (withholding reviewers' comments from agencies),
`preferences` (what reviewers may state before assignment, and their answers:
preferences and conflicts; `preference_sheet` is the one read here, as it
needs the planner's rule) and `reminders`. Callers import from here, not from the modules.
"""

from reviews.processing import review_copy_check, review_file_prepare
from reviews.services.assignments import (
    AssignmentRun,
    assignment_accept,
    assignment_add,
    assignment_auto,
    assignment_decline,
    assignment_fill,
    assignment_remove,
    conflict_declare,
    ready_for_assignment,
)
from reviews.services.common import ReviewError
from reviews.services.copies import (
    findings_seen,
    review_copy_file_replace,
    review_copy_override,
    review_copy_save,
)
from reviews.services.decisions import (
    decision_stage,
    decision_unstage,
    decisions_release,
    nomination_advance,
    nomination_award,
    nomination_decline,
    winner_refusal,
)
from reviews.services.feedback import comment_share_again, comment_withhold
from reviews.services.invitations import (
    invitation_accept,
    invitation_get,
    invitation_path,
    invitation_problem,
    invitation_status,
    reviewer_invite,
)
from reviews.services.panels import panel_people, planner_candidates, planner_items
from reviews.services.phases import (
    close_review_problems,
    nomination_close_review,
    nomination_open_review,
    open_review_problems,
)
from reviews.services.policy import (
    POLICY_FIELDS,
    guidelines_mark_read,
    policy_change,
    policy_update,
)
from reviews.services.preferences import (
    PreferenceAnswer,
    PreferenceLine,
    PreferenceSheet,
    PreferencesSaved,
    conflict_declare_before_assignment,
    preference_sheet,
    preferences_save,
)
from reviews.services.reminders import reviewers_remind
from reviews.services.reviews import (
    IncompleteReviewError,
    ReviewConflictError,
    ReviewInput,
    assignment_reopen,
    review_problems,
    review_save,
)
from reviews.services.rubrics import (
    criterion_delete,
    criterion_save,
    level_delete,
    level_save,
    rubric_create_default,
    rubric_delete,
    rubric_save,
)

__all__ = [
    "POLICY_FIELDS",
    "AssignmentRun",
    "IncompleteReviewError",
    "PreferenceAnswer",
    "PreferenceLine",
    "PreferenceSheet",
    "PreferencesSaved",
    "ReviewConflictError",
    "ReviewError",
    "ReviewInput",
    "assignment_accept",
    "assignment_add",
    "assignment_auto",
    "assignment_decline",
    "assignment_fill",
    "assignment_remove",
    "assignment_reopen",
    "close_review_problems",
    "comment_share_again",
    "comment_withhold",
    "conflict_declare",
    "conflict_declare_before_assignment",
    "criterion_delete",
    "criterion_save",
    "decision_stage",
    "decision_unstage",
    "decisions_release",
    "findings_seen",
    "guidelines_mark_read",
    "invitation_accept",
    "invitation_get",
    "invitation_path",
    "invitation_problem",
    "invitation_status",
    "level_delete",
    "level_save",
    "nomination_advance",
    "nomination_award",
    "nomination_close_review",
    "nomination_decline",
    "nomination_open_review",
    "open_review_problems",
    "panel_people",
    "planner_candidates",
    "planner_items",
    "policy_change",
    "policy_update",
    "preference_sheet",
    "preferences_save",
    "ready_for_assignment",
    "review_copy_check",
    "review_copy_file_replace",
    "review_copy_override",
    "review_copy_save",
    "review_file_prepare",
    "review_problems",
    "review_save",
    "reviewer_invite",
    "reviewers_remind",
    "rubric_create_default",
    "rubric_delete",
    "rubric_save",
    "winner_refusal",
]
