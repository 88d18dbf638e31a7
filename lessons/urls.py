from django.urls import path

from lessons import views

app_name = "lessons"
urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress_page, name="progress"),
    path("progress/reset", views.reset, name="reset"),
    path("simulate/probes", views.probe_simulator, name="probe-simulator"),
    path("simulate/lifecycle", views.lifecycle_stepper, name="lifecycle-stepper"),
    path("<slug:slug>/", views.lesson_page, name="lesson"),
    path("<slug:slug>/read", views.mark_read, name="read"),
    path("<slug:slug>/quiz/<slug:question_id>", views.answer, name="answer"),
]
