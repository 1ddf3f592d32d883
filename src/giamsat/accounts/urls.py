from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from giamsat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.create_token, name="create_token"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:profile"),
        ),
        name="password_change",
    ),
]
