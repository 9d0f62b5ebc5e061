"""Back-office pages of the one-stop desk, under /can-bo/mot-cua/. Each area adds its paths below."""

app_name = "onestop"

urlpatterns: list = []
