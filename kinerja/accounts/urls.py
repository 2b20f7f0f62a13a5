from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
    path("tokens/new/", views.TokenCreateView.as_view(), name="token_create"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path(
        "users/<int:pk>/force-password-change/",
        views.UserForcePasswordChangeView.as_view(),
        name="user_force_password_change",
    ),
    path("grants/", views.RoleGrantListView.as_view(), name="grant_list"),
    path("grants/new/", views.RoleGrantCreateView.as_view(), name="grant_create"),
    path("grants/<int:pk>/end/", views.RoleGrantEndView.as_view(), name="grant_end"),
]
