from django.urls import path

from dz_awards.profiles.views import public

app_name = "profiles"

urlpatterns = [
    path("programs/<slug:slug>/", public.ProfileDetailView.as_view(), name="detail"),
    path("profiles/<uuid:pk>/proof/", public.ProfileDetailView.as_view(), name="proof"),
]
