from django.urls import path

from egov.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("da-doc/", views.message_read_all, name="message_read_all"),
    path("<uuid:uuid>/", views.message_read, name="message_read"),
]
