from django.contrib.auth import views as auth_views
from django.urls import path

from phoihop.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("lich-rieng/", views.feed_tokens, name="feed_tokens"),
    path("doi-mat-khau/", views.PasswordChange.as_view(), name="password_change"),
]
