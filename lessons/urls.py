from django.urls import path

from lessons import learning_views, views

app_name = "lessons"
urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress_page, name="progress"),
    path("progress/reset", views.reset, name="reset"),
    path("review/", learning_views.review_page, name="review"),
    path("review/<int:item_id>", learning_views.review_answer, name="review-answer"),
    path("practice/", learning_views.practice_page, name="practice"),
    path("practice/task/<int:position>", learning_views.practice_task, name="practice-task"),
    path("practice/finish", learning_views.practice_finish, name="practice-finish"),
    path("designs/<slug:slug>/hint", learning_views.hint, name="hint"),
    path("designs/<slug:slug>/run", learning_views.drill_run, name="drill-run"),
    path("designs/<slug:slug>/status", learning_views.drill_status, name="drill-status"),
    path("simulate/probes", views.probe_simulator, name="probe-simulator"),
    path("simulate/lifecycle", views.lifecycle_stepper, name="lifecycle-stepper"),
    path("<slug:slug>/", views.lesson_page, name="lesson"),
    path("<slug:slug>/read", views.mark_read, name="read"),
    path("<slug:slug>/quiz/<slug:question_id>", views.answer, name="answer"),
]
