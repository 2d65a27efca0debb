"""Program staff review pages; included in the `staff` namespace under /staff/."""

from django.urls import path

from reviews.views.staff import (
    cycle,
    decisions,
    nomination,
    nominations,
    policy,
    reviewers,
    workload,
)
from reviews.views.staff import feedback as staff_feedback

urlpatterns = [
    path("nominations/", nominations.StaffNominationListView.as_view(), name="nominations"),
    path("nominations.csv", nominations.StaffNominationCsvView.as_view(), name="nominations-csv"),
    path("nominations/bulk/", nominations.BulkStartView.as_view(), name="nominations-bulk"),
    path(
        "nominations/bulk/<slug:token>/",
        nominations.BulkRunView.as_view(),
        name="nominations-bulk-run",
    ),
    path("reviewers/", reviewers.ReviewerListView.as_view(), name="reviewers"),
    path("reviewers/invite/", reviewers.ReviewerInviteView.as_view(), name="reviewer-invite"),
    path("cycles/<int:cycle>/review/", cycle.ReviewOverviewView.as_view(), name="review"),
    path(
        "cycles/<int:cycle>/review/auto-assign/",
        cycle.AutoAssignView.as_view(),
        name="review-auto-assign",
    ),
    # The reviewer progress page became the workload page; old links land there.
    path(
        "cycles/<int:cycle>/review/progress/",
        workload.ProgressRedirectView.as_view(),
        name="review-progress",
    ),
    path(
        "cycles/<int:cycle>/review/workload/",
        workload.WorkloadView.as_view(),
        name="review-workload",
    ),
    path("cycles/<int:cycle>/review/remind/", workload.RemindView.as_view(), name="review-remind"),
    path(
        "cycles/<int:cycle>/review/policy/",
        policy.ReviewPolicyView.as_view(),
        name="review-policy",
    ),
    path(
        "cycles/<int:cycle>/review/scoreboard/",
        decisions.ScoreboardView.as_view(),
        name="review-scoreboard",
    ),
    path(
        "cycles/<int:cycle>/review/decisions/",
        decisions.DecisionsView.as_view(),
        name="review-decisions",
    ),
    path(
        "cycles/<int:cycle>/review/decisions/release/",
        decisions.ReleaseView.as_view(),
        name="review-release",
    ),
    path(
        "cycles/<int:cycle>/review/nominations.csv",
        decisions.NominationExportView.as_view(),
        name="review-export-nominations",
    ),
    path(
        "cycles/<int:cycle>/review/reviews.csv",
        decisions.ReviewExportView.as_view(),
        name="review-export-reviews",
    ),
    path(
        "cycles/<int:cycle>/review/feedback/",
        staff_feedback.FeedbackView.as_view(),
        name="review-feedback",
    ),
    path(
        "cycles/<int:cycle>/review/feedback/reviews/<int:review>/withhold/",
        staff_feedback.CommentWithholdView.as_view(),
        name="review-feedback-withhold",
    ),
    path(
        "cycles/<int:cycle>/review/feedback/withheld/<int:pk>/share/",
        staff_feedback.CommentShareAgainView.as_view(),
        name="review-feedback-share",
    ),
    path(
        "nominations/<uuid:pk>/review-copy/",
        nomination.ReviewCopyView.as_view(),
        name="nomination-review-copy",
    ),
    path(
        "nominations/<uuid:pk>/review-copy/files/<uuid:evidence>/",
        nomination.ReviewCopyFileView.as_view(),
        name="nomination-review-copy-file",
    ),
    path(
        "nominations/<uuid:pk>/assignments/",
        nomination.NominationAssignmentsView.as_view(),
        name="nomination-assignments",
    ),
    path(
        "nominations/<uuid:pk>/open-review/",
        nomination.OpenReviewView.as_view(),
        name="nomination-open-review",
    ),
    path(
        "nominations/<uuid:pk>/close-review/",
        nomination.CloseReviewView.as_view(),
        name="nomination-close-review",
    ),
    path(
        "nominations/<uuid:pk>/decision/",
        decisions.StageDecisionView.as_view(),
        name="nomination-decision",
    ),
    path(
        "assignments/<int:pk>/remove/",
        nomination.AssignmentRemoveView.as_view(),
        name="assignment-remove",
    ),
    path(
        "assignments/<int:pk>/reopen/",
        nomination.AssignmentReopenView.as_view(),
        name="assignment-reopen",
    ),
]
