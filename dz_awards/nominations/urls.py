from django.urls import path

from dz_awards.nominations.views import agency, shared

app_name = "nominations"

urlpatterns = [
    path("nominations/new/", agency.NominationStartView.as_view(), name="start"),
    path("nominations/<uuid:pk>/", agency.NominationDetailView.as_view(), name="detail"),
    path("nominations/<uuid:pk>/edit/", agency.NominationEditView.as_view(), name="edit"),
    path(
        "nominations/<uuid:pk>/autosave/",
        agency.NominationAutosaveView.as_view(),
        name="autosave",
    ),
    path(
        "nominations/<uuid:pk>/conflicts/<int:conflict>/",
        agency.ConflictView.as_view(),
        name="conflict",
    ),
    path("nominations/<uuid:pk>/submit/", agency.NominationSubmitView.as_view(), name="submit"),
    path(
        "nominations/<uuid:pk>/withdraw/", agency.NominationWithdrawView.as_view(), name="withdraw"
    ),
    path("nominations/<uuid:pk>/delete/", agency.NominationDeleteView.as_view(), name="delete"),
    path("nominations/<uuid:pk>/move/", agency.NominationMoveView.as_view(), name="move"),
    path("nominations/<uuid:pk>/evidence/", agency.EvidenceView.as_view(), name="evidence"),
    path(
        "nominations/<uuid:pk>/evidence/<uuid:evidence>/",
        shared.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path(
        "nominations/<uuid:pk>/evidence/<uuid:evidence>/delete/",
        agency.EvidenceDeleteView.as_view(),
        name="evidence-delete",
    ),
    path(
        "nominations/<uuid:pk>/revisions/<int:number>/",
        shared.RevisionView.as_view(),
        name="revision",
    ),
    path("nominations/<uuid:pk>/changes/", shared.ChangesView.as_view(), name="changes"),
    path("nominations/<uuid:pk>/messages/", shared.MessagePostView.as_view(), name="messages"),
]
