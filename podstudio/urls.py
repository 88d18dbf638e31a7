from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from podstudio import views
from podstudio.api import views as api_views
from podstudio.signin import AdminSignInForm, SignInForm, SignOutView

admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ready", views.ready, name="ready"),
    path("api/v1/analyze", api_views.analyze, name="api-analyze"),
    path("api/v1/normalize", api_views.normalize, name="api-normalize"),
    re_path(r"^api/", api_views.not_found),
    path("builder/", include("podstudio.builder.urls")),
    path("lessons/", include("lessons.urls")),
    path("sandbox/", include("podstudio.sandbox.urls")),
    # Instructors sign in with Django's own views; classrooms (and joining them) in classrooms/.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="classrooms/login.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("classrooms.urls")),
]

handler400 = "podstudio.views.bad_request"
handler403 = "podstudio.views.permission_denied"
handler404 = "podstudio.views.page_not_found"
