"""Program staff pages for award cycles, included under /staff/ by the portal."""

from django.urls import path

from dz_awards.cycles import views

urlpatterns = [
    path("cycles/", views.StaffCycleListView.as_view(), name="cycles"),
]
