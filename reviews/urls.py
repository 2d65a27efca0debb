"""Reviewer pages, under /review/, and the agency's page of reviewers' feedback on a
nomination (the staff pages are in urls_staff)."""

from django.urls import path

from reviews.views.agency import feedback
from reviews.views.reviewer import (
    assignment,
    guidelines,
    invitation,
    packets,
    preferences,
    queue,
    review,
)

app_name = "reviews"

urlpatterns = [
    path("review/", queue.QueueView.as_view(), name="queue"),
    path(
        "review/cycles/<int:cycle>/guidelines/",
        guidelines.GuidelinesView.as_view(),
        name="guidelines",
    ),
    path(
        "review/cycles/<int:cycle>/preferences/",
        preferences.PreferencesView.as_view(),
        name="preferences",
    ),
    path(
        "review/invitations/<uuid:pk>/<str:token>/",
        invitation.InvitationView.as_view(),
        name="invitation",
    ),
    path("review/assignments/<int:pk>/", assignment.AssignmentView.as_view(), name="assignment"),
    path("review/assignments/<int:pk>/accept/", assignment.AcceptView.as_view(), name="accept"),
    path("review/assignments/<int:pk>/decline/", assignment.DeclineView.as_view(), name="decline"),
    path(
        "review/assignments/<int:pk>/conflict/", assignment.ConflictView.as_view(), name="conflict"
    ),
    path("review/assignments/<int:pk>/review/", review.ReviewFormView.as_view(), name="review"),
    path(
        "review/assignments/<int:pk>/review/autosave/",
        review.ReviewAutosaveView.as_view(),
        name="review-autosave",
    ),
    path(
        "review/assignments/<int:pk>/files/<uuid:evidence>/",
        assignment.FileView.as_view(),
        name="file",
    ),
    path(
        "review/assignments/<int:pk>/packet/",
        packets.BlindPacketView.as_view(),
        name="packet",
    ),
    path("review/my-reviews.csv", queue.ExportView.as_view(), name="export"),
    path("nominations/<uuid:pk>/feedback/", feedback.FeedbackView.as_view(), name="feedback"),
    path(
        "nominations/<uuid:pk>/feedback.csv",
        feedback.FeedbackCsvView.as_view(),
        name="feedback-csv",
    ),
]
