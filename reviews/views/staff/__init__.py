"""Program staff review pages: reviewers, the review of a cycle, one nomination's
review copy and assignments, reviewers' workload, the review policy, the scoreboard,
decisions and exports.

Every page is for program staff only (others get 404). Every change is a POST
handled by a service in `reviews.services`; a refusal is shown in plain words
(`core.errors.refuse`) and any text typed is kept.

By concern: `reviewers` (the list, invitations), `cycle` (overview, automatic
assignment), `workload` (reviewers' load, lateness, leniency, reminders), `policy`
(guidelines, preferences window, feedback sharing), `nomination` (review copy,
assignments, opening and closing review), `decisions` (scoreboard, staging,
release, CSV exports) and `feedback` (reading and withholding reviewers' comments
before agencies read them).
"""
