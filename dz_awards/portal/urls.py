from django.urls import path

from dz_awards.portal.views import agency
from dz_awards.portal.views import public as views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("after-login/", views.after_login, name="after-login"),
    path("dashboard/", agency.DashboardView.as_view(), name="dashboard"),
]
