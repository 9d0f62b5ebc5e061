from django.urls import path

from egov.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-buoc/", views.otp_view, name="otp"),
    path("xac-thuc-hai-buoc/thiet-lap/", views.otp_setup_view, name="otp_setup"),
    path("xac-thuc-hai-buoc/tat/", views.otp_disable_view, name="otp_disable"),
    path("ca-nhan/", views.profile_view, name="profile"),
    path("doi-mat-khau/", views.password_change_view, name="password_change"),
]
