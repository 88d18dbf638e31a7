from django.urls import path

from podstudio.builder import views

app_name = "builder"
urlpatterns = [
    path("", views.builder, name="new"),
]
