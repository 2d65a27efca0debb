"""Program staff pages about accounts, included under /staff/ by the portal."""

from django.urls import path

from dz_awards.accounts import views_staff

urlpatterns = [
    path("people/two-factor/", views_staff.TwoFactorPeopleView.as_view(), name="two-factor-people"),
    path(
        "people/<int:pk>/two-factor/reset/",
        views_staff.TwoFactorResetView.as_view(),
        name="two-factor-reset",
    ),
]
