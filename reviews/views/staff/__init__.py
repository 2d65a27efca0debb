"""Program staff review pages: reviewers, the review of a cycle, one nomination's
review copy and assignments, progress, the scoreboard, decisions and exports.

Every page is for program staff only (others get 404). Every change is a POST
handled by a service in `reviews.services`; a refusal is shown in plain words
(`core.errors.refuse`) and any text typed is kept.

By concern: `reviewers` (the list, invitations), `cycle` (overview, automatic
assignment, progress, reminders), `nomination` (review copy, assignments,
opening and closing review) and `decisions` (scoreboard, staging, release,
CSV exports).
"""
