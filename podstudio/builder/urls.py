from django.urls import path

from podstudio.builder import views

app_name = "builder"
urlpatterns = [
    path("", views.new, name="new"),
    path("start", views.start, name="start"),
    path("import", views.import_yaml, name="import"),
    path("d/<slug:slug>/", views.design, name="design"),
    path("d/<slug:slug>/preview", views.preview, name="preview"),
    path("d/<slug:slug>/fresh", views.fresh, name="fresh"),
    path("d/<slug:slug>/download", views.download, name="download"),
    path("d/<slug:slug>/document", views.document, name="document"),
    path("d/<slug:slug>/delete", views.delete, name="delete"),
]
