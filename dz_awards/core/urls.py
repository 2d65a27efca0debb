from django.urls import path

from dz_awards.core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("after-login/", views.after_login, name="after-login"),
]
