"""The agency's review pages: the reviewers' feedback on one of its nominations.

Nominations are reached through the nominations app's agency scope
(`NominationAccessMixin`), so another agency's nomination is a 404. Everything
shown comes from `selectors.agency_feedback`: comment texts and where the
score fell, never a review, a reviewer or an order that could name one.
"""
