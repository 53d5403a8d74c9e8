from django.contrib.auth import views as auth_views
from django.urls import path

from shelfwise.core import views
from shelfwise.core.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("school/", views.switch_school, name="switch_school"),
]
