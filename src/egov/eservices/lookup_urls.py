app_name = "lookup"

urlpatterns: list = []
