"""Public side of the one-stop shop: online submission (/dich-vu-cong/) and the dossier lookup (/tra-cuu/)."""

app_name = "eservices"

urlpatterns: list = []
