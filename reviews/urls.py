"""Reviewer pages, under /review/ (the staff pages are in urls_staff)."""

from django.urls import path

from reviews.views import reviewer

app_name = "reviews"

urlpatterns = [
    path("review/", reviewer.QueueView.as_view(), name="queue"),
    path(
        "review/invitations/<uuid:pk>/<str:token>/",
        reviewer.InvitationView.as_view(),
        name="invitation",
    ),
    path("review/assignments/<int:pk>/", reviewer.AssignmentView.as_view(), name="assignment"),
    path("review/assignments/<int:pk>/accept/", reviewer.AcceptView.as_view(), name="accept"),
    path("review/assignments/<int:pk>/decline/", reviewer.DeclineView.as_view(), name="decline"),
    path("review/assignments/<int:pk>/conflict/", reviewer.ConflictView.as_view(), name="conflict"),
    path("review/assignments/<int:pk>/review/", reviewer.ReviewFormView.as_view(), name="review"),
    path(
        "review/assignments/<int:pk>/files/<uuid:evidence>/",
        reviewer.FileView.as_view(),
        name="file",
    ),
    path("review/my-reviews.csv", reviewer.ExportView.as_view(), name="export"),
]
