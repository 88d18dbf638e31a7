from django.urls import path, re_path
from django.views.generic import RedirectView

from classrooms import learner_views, views

app_name = "classrooms"
urlpatterns = [
    # Learners
    path("join/", learner_views.join, name="join"),
    path("join/again/<str:token>/", learner_views.rejoin, name="rejoin"),
    path("join/<str:code>/", learner_views.join, name="join-code"),
    path("classroom/", learner_views.mine, name="mine"),
    path("classroom/hand", learner_views.hand, name="hand"),
    path("classroom/bar", learner_views.bar, name="bar"),
    path("classroom/leave", learner_views.leave, name="leave"),
    path("classroom/exercise/<slug:slug>/", learner_views.exercise, name="exercise"),
    path("classroom/drill/<slug:slug>/", learner_views.drill, name="drill"),
    # Instructors
    path("classrooms/", views.index, name="index"),
    path("classrooms/new/", views.new, name="new"),
    # Where people guess the sign-in page is (no classroom code is "login": codes are capitals).
    path("classrooms/login/", RedirectView.as_view(url="/accounts/login/?next=/classrooms/")),
    path("classrooms/<str:code>/", views.detail, name="detail"),
    path("classrooms/<str:code>/grid", views.refresh, name="refresh"),
    path("classrooms/<str:code>/announce", views.announce, name="announce"),
    path("classrooms/<str:code>/end", views.end, name="end"),
    path("classrooms/<str:code>/extend", views.extend, name="extend"),
    path("classrooms/<str:code>/thresholds", views.thresholds, name="thresholds"),
    path("classrooms/<str:code>/qr.svg", views.qr, name="qr"),
    path("classrooms/<str:code>/join-sheet", views.join_sheet, name="join-sheet"),
    path("classrooms/<str:code>/sandbox", views.sandbox, name="sandbox"),
    re_path(
        r"^classrooms/(?P<code>[^/]+)/results\.(?P<fmt>csv|json)$", views.results, name="results"
    ),
    path("classrooms/<str:code>/learners/<int:member_id>/", views.learner, name="learner"),
    path("classrooms/<str:code>/learners/<int:member_id>/hint", views.hint, name="hint"),
    path("classrooms/<str:code>/learners/<int:member_id>/reset", views.reset, name="reset"),
    path("classrooms/<str:code>/learners/<int:member_id>/pin", views.new_pin, name="new-pin"),
    path("classrooms/<str:code>/places", views.places, name="places"),
    path(
        "classrooms/<str:code>/learners/<int:member_id>/remove",
        views.remove_learner,
        name="remove-learner",
    ),
    path(
        "classrooms/<str:code>/learners/<int:member_id>/lower-hand",
        views.lower_hand,
        name="lower-hand",
    ),
]
