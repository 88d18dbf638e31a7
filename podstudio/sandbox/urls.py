from django.urls import path

from podstudio.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("dry-run", views.dry_run, name="dry-run"),
    path("apply", views.apply, name="apply"),
    path("delete", views.delete, name="delete"),
    path("status", views.status, name="status"),
    path("logs", views.logs, name="logs"),
    path("everything", views.everything, name="everything"),
]
