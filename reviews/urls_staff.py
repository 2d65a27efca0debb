"""Program staff review pages; included in the `staff` namespace under /staff/."""

from django.urls import path

from reviews.views import staff

urlpatterns = [
    path("reviewers/", staff.ReviewerListView.as_view(), name="reviewers"),
    path("reviewers/invite/", staff.ReviewerInviteView.as_view(), name="reviewer-invite"),
    path("cycles/<int:cycle>/review/", staff.ReviewOverviewView.as_view(), name="review"),
    path(
        "cycles/<int:cycle>/review/auto-assign/",
        staff.AutoAssignView.as_view(),
        name="review-auto-assign",
    ),
    path(
        "cycles/<int:cycle>/review/progress/",
        staff.ProgressView.as_view(),
        name="review-progress",
    ),
    path("cycles/<int:cycle>/review/remind/", staff.RemindView.as_view(), name="review-remind"),
    path(
        "cycles/<int:cycle>/review/scoreboard/",
        staff.ScoreboardView.as_view(),
        name="review-scoreboard",
    ),
    path(
        "cycles/<int:cycle>/review/decisions/",
        staff.DecisionsView.as_view(),
        name="review-decisions",
    ),
    path(
        "cycles/<int:cycle>/review/decisions/release/",
        staff.ReleaseView.as_view(),
        name="review-release",
    ),
    path(
        "cycles/<int:cycle>/review/nominations.csv",
        staff.NominationExportView.as_view(),
        name="review-export-nominations",
    ),
    path(
        "cycles/<int:cycle>/review/reviews.csv",
        staff.ReviewExportView.as_view(),
        name="review-export-reviews",
    ),
    path(
        "nominations/<uuid:pk>/review-copy/",
        staff.ReviewCopyView.as_view(),
        name="nomination-review-copy",
    ),
    path(
        "nominations/<uuid:pk>/assignments/",
        staff.NominationAssignmentsView.as_view(),
        name="nomination-assignments",
    ),
    path(
        "nominations/<uuid:pk>/open-review/",
        staff.OpenReviewView.as_view(),
        name="nomination-open-review",
    ),
    path(
        "nominations/<uuid:pk>/close-review/",
        staff.CloseReviewView.as_view(),
        name="nomination-close-review",
    ),
    path(
        "nominations/<uuid:pk>/decision/",
        staff.StageDecisionView.as_view(),
        name="nomination-decision",
    ),
    path(
        "assignments/<int:pk>/remove/",
        staff.AssignmentRemoveView.as_view(),
        name="assignment-remove",
    ),
    path(
        "assignments/<int:pk>/reopen/",
        staff.AssignmentReopenView.as_view(),
        name="assignment-reopen",
    ),
]
