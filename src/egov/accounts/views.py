from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"


@login_required
def otp_view(request):
    return render(request, "accounts/otp.html", {})


def lockout_response(request, credentials=None, *args, **kwargs):
    return HttpResponse("Tài khoản tạm khoá do đăng nhập sai nhiều lần.", status=403)


@login_required
def home(request):
    return render(request, "accounts/home.html", {})
