"""Reviewer pages, under /review/ (the staff pages are in urls_staff)."""

from django.urls import path

from reviews.views.reviewer import assignment, invitation, packets, queue, review

app_name = "reviews"

urlpatterns = [
    path("review/", queue.QueueView.as_view(), name="queue"),
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
]
