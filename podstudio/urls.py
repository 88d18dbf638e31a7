from django.urls import include, path

from podstudio import views
from podstudio.api import views as api_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ready", views.ready, name="ready"),
    path("api/v1/analyze", api_views.analyze, name="api-analyze"),
    path("api/v1/normalize", api_views.normalize, name="api-normalize"),
    path("builder/", include("podstudio.builder.urls")),
    path("lessons/", include("lessons.urls")),
    path("sandbox/", include("podstudio.sandbox.urls")),
]
