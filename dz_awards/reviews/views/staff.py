"""Placeholder: being written."""

from django.views import View


class ReviewerListView(View):
    pass


class ReviewerInviteView(View):
    pass


class ReviewOverviewView(View):
    pass


class AutoAssignView(View):
    pass


class ProgressView(View):
    pass


class RemindView(View):
    pass


class ScoreboardView(View):
    pass


class DecisionsView(View):
    pass


class ReleaseView(View):
    pass


class NominationExportView(View):
    pass


class ReviewExportView(View):
    pass


class ReviewCopyView(View):
    pass


class NominationAssignmentsView(View):
    pass


class OpenReviewView(View):
    pass


class CloseReviewView(View):
    pass


class StageDecisionView(View):
    pass


class AssignmentRemoveView(View):
    pass


class AssignmentReopenView(View):
    pass
