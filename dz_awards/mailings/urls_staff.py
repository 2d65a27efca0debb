"""Program staff pages for email, included under /staff/ by the portal."""

from django.urls import path

from dz_awards.mailings import views

urlpatterns = [
    path(
        "cycles/<int:cycle>/emails/",
        views.EmailTemplateListView.as_view(),
        name="email-templates",
    ),
    path(
        "cycles/<int:cycle>/emails/<slug:kind>/",
        views.EmailTemplateEditView.as_view(),
        name="email-template",
    ),
    path(
        "cycles/<int:cycle>/emails/<slug:kind>/reset/",
        views.EmailTemplateResetView.as_view(),
        name="email-template-reset",
    ),
    path(
        "cycles/<int:cycle>/messages/",
        views.BulkMessageListView.as_view(),
        name="bulk-messages",
    ),
    path(
        "cycles/<int:cycle>/messages/new/",
        views.BulkMessageNewView.as_view(),
        name="bulk-message-new",
    ),
    path("messages/<int:pk>/", views.BulkMessageDetailView.as_view(), name="bulk-message"),
]
