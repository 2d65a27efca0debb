"""The reviewer's pages: the invitation, the queue, an assignment, the review form,
files and the CSV of one's own reviews.

Everything a reviewer reads about a nomination comes from
`selectors.reviewer_copy` (or `selectors.listed_title` in lists), never from the
nomination itself: in a blind phase no page, title, file name, export or
message here carries the agency's identity. Assignments are reached only
through the reviewer's own scope, so an unassigned or conflicted one is a 404.

By concern: `invitation`, `queue` (the list and the CSV), `assignment` (one
assignment: read, accept, decline, declare a conflict, download a file) and
`review` (the review form).
"""
